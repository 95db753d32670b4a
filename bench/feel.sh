#!/bin/sh
# Builds the launchers (no tests; Maven output on stderr), then measures how heavy the client feels next to a
# baseline with no client in between: keystroke echo, forward round trip, start-up, peak RSS, CPU per MB.
# Args go to bench/feel.py: [--keys N] [--rtts N] [--mib N] [--only start,keys,rtt,rss,cpu]
cd "$(dirname "$0")/.." && mvn -B -q -ntp -DskipTests package >&2 && exec python3 bench/feel.py "$@"
