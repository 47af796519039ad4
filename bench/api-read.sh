#!/usr/bin/env bash
# Measures API read cost (client round trip and server time) on a warm server. Results go in docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/java-env.sh
"${BENCH_JAVA[@]}" dev.xenon.bench.ApiReadBenchmark "${1:-5000}"
