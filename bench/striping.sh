#!/bin/sh
# Builds protocol, client, testkit and bench (no tests; Maven output on stderr), then runs the striping/SOCKS/many-connections bench; args: [--mib N]
cd "$(dirname "$0")/.." && mvn -B -q -pl bench -am package -DskipTests >&2 && exec java -Xmx1g -cp "bench/target/classes:$(cat bench/target/throughput.classpath)" dev.ssmsession.bench.StripingBench "$@"
