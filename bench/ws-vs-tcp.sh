#!/usr/bin/env bash
# A one-row SELECT through the proxy over WebSocket (serverless driver) vs TCP with TLS (node-postgres): medians.
# Results go in docs/BENCHMARKS.md.
#
#   bench/ws-vs-tcp.sh [rounds] [warm queries per round] [new connections per round]

set -euo pipefail
cd "$(dirname "$0")/.."
source bench/java-env.sh
bench_java dev.xenon.bench.WebSocketLatencyBenchmark "${1:-5}" "${2:-1000}" "${3:-50}"
