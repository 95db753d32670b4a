#!/bin/sh
# Builds protocol, client, testkit and bench (no tests; Maven output on stderr), then runs the port-forward throughput bench; args: [--mib N] [--only C1,G2,...]
cd "$(dirname "$0")/.." && mvn -B -q -pl bench -am package -DskipTests >&2 && exec java -Xmx1g -cp "bench/target/classes:$(cat bench/target/throughput.classpath)" dev.ssmsession.bench.ForwardThroughput "$@"
