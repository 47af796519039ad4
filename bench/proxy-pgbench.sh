#!/usr/bin/env bash
# pgbench select-only through the proxy vs directly to the compute (plaintext and TLS), interleaved rounds.
# Results go in docs/BENCHMARKS.md.
#
#   bench/proxy-pgbench.sh [rounds] [seconds] [clients] [threads] [scale] [config...]
#
# configs: proxy-plain direct-plain proxy-tls direct-tls proxy-main-plain (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v pgbench >/dev/null || { echo "pgbench is missing: apt-get install -y postgresql-client" >&2; exit 1; }
source bench/java-env.sh
bench_java dev.xenon.bench.ProxyPgbenchBenchmark "${1:-3}" "${2:-15}" "${3:-4}" "${4:-2}" "${5:-10}" "${@:6}"
