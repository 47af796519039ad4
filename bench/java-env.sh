# Sourced by the bench scripts: picks a JDK 21+, compiles the test sources, writes the test classpath.
for jdk in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [[ -x "$jdk/bin/javac" ]] && "$jdk/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then
    export JAVA_HOME="$jdk"; break
  fi
done
# Offline first (the usual case once the project has been built), online if something is missing.
mvn -o -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null 2>&1 \
  || mvn -q -B test-compile dependency:build-classpath -Dmdep.outputFile=target/test-classpath.txt >/dev/null
BENCH_CP="target/test-classes:target/classes:$(cat target/test-classpath.txt)"
# The java command as an array, so that `"${BENCH_JAVA[@]}" Main &` makes $! the JVM's own pid (a shell function
# run with & would be a subshell, and signalling it would leave the JVM running).
# shellcheck disable=SC2206 # BENCH_JAVA_OPTS is split into words on purpose
BENCH_JAVA=("$JAVA_HOME/bin/java" -Dxenon.test.pgDist=target/pg-dist -Dxenon.test.pgCache=target/pg-cache
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn ${BENCH_JAVA_OPTS:-} -cp "$BENCH_CP")

# Runs a benchmark's main class on the JVM and waits for it; an interrupted or failing script stops the JVM with
# SIGTERM, whose shutdown hook stops the server and its computes.
bench_java() {
  java_pid=""
  trap 'if [[ -n "$java_pid" ]] && kill -0 "$java_pid" 2>/dev/null; then kill -TERM "$java_pid" 2>/dev/null || true; wait "$java_pid" 2>/dev/null || true; fi' EXIT
  trap 'exit 130' INT TERM
  "${BENCH_JAVA[@]}" "$@" &
  java_pid=$!
  wait "$java_pid"
}
