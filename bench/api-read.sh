#!/usr/bin/env bash
# Measures API read cost (client round trip and server time) on a warm server. Results go in docs/BENCHMARKS.md.
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
  dev.xenon.bench.ApiReadBenchmark "${1:-5000}"
