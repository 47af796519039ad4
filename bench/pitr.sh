#!/usr/bin/env bash
# Point-in-time branching: time to branch at a past moment by WAL to replay (16, 64, 256 MB), and storage of history
# under a write-heavy workload over three retention windows. Results go in docs/BENCHMARKS.md.
# Usage: bench/pitr.sh [rounds per size, default 3] [retention seconds for the storage run, default 60]
set -euo pipefail
cd "$(dirname "$0")/.."
for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [[ -x "$jdk/bin/javac" ]] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    export JAVA_HOME="$jdk"; break
  fi
done
mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
"$JAVA_HOME/bin/java" -Dxenon.test.pgDist=target/pg-dist -Dxenon.test.pgCache=target/pg-cache \
  -cp "target/test-classes:target/classes:$(cat target/test-classpath.txt)" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  dev.xenon.bench.PitrBenchmark "${1:-3}" "${2:-60}"
