#!/usr/bin/env bash
# Point-in-time branching: time to branch at a past moment by WAL to replay (16, 64, 256 MB), and storage of history
# under a write-heavy workload over three retention windows. Results go in docs/BENCHMARKS.md.
# Usage: bench/pitr.sh [rounds per size, default 3] [retention seconds for the storage run, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/java-env.sh
"${BENCH_JAVA[@]}" dev.xenon.bench.PitrBenchmark "${1:-3}" "${2:-60}"
