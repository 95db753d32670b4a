#!/bin/sh
# Builds protocol, client, testkit and bench (no tests; Maven output on stderr), then runs the port-forward throughput
# bench and, unless --only picks rows, the striping bench (bench/striping.sh: --sessions 1/2/4/8, SOCKS set-up,
# 200 concurrent connections); args: [--mib N] [--only C1,G2,...]
cd "$(dirname "$0")/.." && mvn -B -q -pl bench -am package -DskipTests >&2 || exit 1
cp="bench/target/classes:$(cat bench/target/throughput.classpath)"
java -Xmx1g -cp "$cp" dev.ssmsession.bench.ForwardThroughput "$@" || exit $?
case " $* " in *" --only "*) exit 0 ;; esac
echo
exec java -Xmx1g -cp "$cp" dev.ssmsession.bench.StripingBench
