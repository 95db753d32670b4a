#!/bin/sh
# Builds protocol, client, testkit and bench (no tests; Maven output on stderr), then measures 64-byte request/response
# latency through the library against the in-process testkit: direct, port forward (smux, basic), in-process socket.
# Args: [N round trips per row, default 500]
cd "$(dirname "$0")/.." && mvn -B -q -pl bench -am package -DskipTests >&2 && exec java -cp "bench/target/classes:$(cat bench/target/throughput.classpath)" dev.ssmsession.bench.RoundTrips "$@"
