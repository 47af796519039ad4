#!/usr/bin/env bash
# History kept per branch made from an idle running parent (the branch-per-CI-job pattern): the parent's archived
# WAL growth and the branch's own history. Results go in docs/BENCHMARKS.md.
# Usage: bench/branch-history.sh [branches, default 5]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/java-env.sh
"${BENCH_JAVA[@]}" dev.xenon.bench.BranchHistoryBenchmark "${1:-5}"
