package dev.ssmsession.testkit.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the agent's children with the signal state a real agent's children have: nothing blocked,
 * every disposition default. A child of this JVM inherits the launching thread's mask, in which
 * HotSpot blocks SIGQUIT (its thread-dump signal), so Ctrl-\ (SPEC §8.1) would not reach a shell or
 * anything it starts; glibc's posix_spawn (the JDK's and pty4j's way to start children) leaves its
 * internal signals 32 and 33 ignored; and a JVM started with SIGINT/SIGQUIT ignored (a background
 * job of a non-interactive shell) passes that on across exec. The JDK cannot set a child's signal
 * state, so the child first runs a few lines of perl (perl-base is Essential on Debian) that reset
 * it and exec the real command in place: same pid, nothing left behind.
 */
final class CleanSignals {
    private static final Logger LOG = LoggerFactory.getLogger(CleanSignals.class);

    // glibc's sigaction refuses 32/33, so those go through rt_sigaction itself (syscall numbers
    // by architecture; an all-zero kernel sigaction is SIG_DFL). "group" first makes the command
    // the leader of its own process group, as a terminal's job would be.
    private static final String RESET = """
            use POSIX (); use Config ();
            my $group = shift(@ARGV) eq 'group';
            POSIX::sigprocmask(POSIX::SIG_SETMASK(), POSIX::SigSet->new()) or die "sigprocmask: $!\\n";
            my $dfl = POSIX::SigAction->new('DEFAULT');
            for my $s (1 .. POSIX::SIGRTMAX()) {
                POSIX::sigaction($s, $dfl) unless $s == POSIX::SIGKILL() || $s == POSIX::SIGSTOP();
            }
            my ($arch) = $Config::Config{archname} =~ /^([^-]+)/;
            my $nr = {x86_64 => 13, aarch64 => 134}->{$arch};
            if (defined $nr) { for my $s (32, 33) { my $act = "\\0" x 32; syscall($nr, $s, $act, 0, 8); } }
            if ($group) { POSIX::setpgid(0, 0) or die "setpgid: $!\\n"; }
            exec { $ARGV[0] } @ARGV or die "cannot run $ARGV[0]: $!\\n";
            """;

    private static final CleanSignals SYSTEM = new CleanSignals(onPath("perl", System.getenv("PATH")));

    private final Optional<Path> perl;
    private final AtomicBoolean warned = new AtomicBoolean();

    CleanSignals(Optional<Path> perl) {
        this.perl = perl;
    }

    /** The instance using the perl found on this JVM's PATH. */
    static CleanSignals system() {
        return SYSTEM;
    }

    /** True when commands really get a clean signal state and, if asked, their own process group. */
    boolean available() {
        return perl.isPresent();
    }

    /** {@code command}, started with a clean signal state; unchanged (warned once) without perl. */
    List<String> wrap(List<String> command) {
        return wrap("same", command);
    }

    /**
     * {@code command}, started with a clean signal state as the leader of a new process group
     * (pgid = its pid); unchanged (warned once) without perl, so it then shares this JVM's group.
     */
    List<String> wrapInOwnProcessGroup(List<String> command) {
        return wrap("group", command);
    }

    private List<String> wrap(String group, List<String> command) {
        if (perl.isEmpty()) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("no perl on the PATH: shells and commands start with this JVM's signal mask "
                        + "(SIGQUIT blocked) and in its process group, so Ctrl-\\ and Ctrl-C may not reach them");
            }
            return List.copyOf(command);
        }
        List<String> wrapped = new ArrayList<>(List.of(perl.get().toString(), "-e", RESET, "--", group));
        wrapped.addAll(command);
        return List.copyOf(wrapped);
    }

    static Optional<Path> onPath(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
