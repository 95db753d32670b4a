# Sourced by bin/ssm-session and bin/session-manager-plugin once they know $home; "$@" are the command's arguments.
# Sets $java and $jvm_flags. The flags are chosen by measurement (bench/feel.sh):
#   C1 only and serial GC: cheap start; C2 costs more CPU to compile than it saves on a capped session.
#   Memory: a small young generation (the default, 1/3 of a heap sized from the machine's RAM, fills ~100 MB before
#   its first collection, all of it resident), a heap cap far above what a session holds (~20 MB live in a
#   4-connection forward), one compiler thread and a small code cache.
#   Java 17's socket implementation reads by polling first (three system calls per arriving message instead of one);
#   the older one reads directly: a third less system time on a busy data channel. Later JDKs ignore the property.
#   No perf-data file; JVM log output to stderr, never stdout (stdout carries session data).
# Java: the runtime bundled in the release archive ($home/runtime, made by the dist module), else JAVA_HOME, else
# java on PATH.
if [ -x "$home/runtime/bin/java" ]; then
  java=$home/runtime/bin/java
elif [ -n "$JAVA_HOME" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
elif command -v java >/dev/null 2>&1; then
  java=java
else
  echo "ssm-session: no Java found: set JAVA_HOME to a Java 17+ installation or put its bin/ on PATH" >&2
  exit 1
fi
jvm_flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xms8m -Xmn4m -Xmx256m
  -XX:ReservedCodeCacheSize=16m -XX:CICompilerCount=1 -Djdk.net.usePlainSocketImpl=true
  -Xlog:disable -Xlog:all=warning,cds*=off:stderr"

# The JDK's release file, for the java that will run.
java_release() {
  j=$(command -v "$java") || return 1
  while [ -L "$j" ]; do
    l=$(readlink "$j") || break
    case $l in
      /*) j=$l ;;
      *) j=$(dirname "$j")/$l ;;
    esac
  done
  echo "$(dirname "$(dirname "$j")")/release"
}

# Start-up cache, recorded at build time from a training run (exec, the plugin's shell, a port forward):
#   Java 25+: the AOT cache (JEP 483/514/515), used only with the very JDK build that recorded it;
#   otherwise the class-data-sharing archive (a JDK that did not record it ignores it), mapped where it was recorded
#   (some JDK 17 builds relocate it on every start, which writes to every page: ~20 MB more resident, ~60 ms slower).
# The one-line answers (--version, the plugin's installation check) load almost nothing and skip both.
# A launcher may name its own cache ($cache_name, e.g. the plugin's, recorded from its paths alone as a static archive
# that replaces the JDK's base one: the JVM keeps a whole archive resident, so a smaller one is less memory); without
# one of that name, the CLI's.
# $cache_flags is split into words; $cache_file is one word (the install path may hold spaces) and never empty.
jsa=$home/lib/ssm-session.jsa
aot=$home/lib/ssm-session.aot
if [ -n "$cache_name" ]; then
  if [ -f "$home/lib/$cache_name.jsa" ]; then jsa=$home/lib/$cache_name.jsa; fi
  if [ -f "$home/lib/$cache_name.aot" ]; then aot=$home/lib/$cache_name.aot; fi
fi
cache_flags="-Xshare:auto -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
cache_file="-XX:SharedArchiveFile=$jsa"
case "$#:$1" in
  0:|1:--version|1:-V)
    cache_flags="-Xshare:auto"
    cache_file="-Xshare:auto"
    ;;
  *)
    # the same release file: the same JDK build (a jlink image's names its version and modules only)
    if [ -f "$aot" ] && release=$(java_release) && [ -f "$release" ] && cmp -s "$release" "$aot.release"; then
      cache_flags="-Xlog:aot*=off"
      cache_file="-XX:AOTCache=$aot"
    elif [ ! -f "$jsa" ]; then
      # none of ours (a release archive linked from Java 17): the runtime's archive of the JDK's own classes, which
      # a missing SharedArchiveFile would turn off too
      cache_flags="-Xshare:auto"
      cache_file="-Xshare:auto"
    fi
    ;;
esac
