package dev.xenon.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs Debian's psql (libpq 15) as a real client. */
final class Psql {
    record Result(int exitCode, String output) {
    }

    private Psql() {
    }

    static Result run(String conninfo, String password, String sql) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(List.of("psql", conninfo, "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                "-c", sql)).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", password);
        builder.environment().put("PGCONNECT_TIMEOUT", "20");
        // No stray ~/.pgpass, service file or root certificate may change what is tested.
        builder.environment().put("PGPASSFILE", "/dev/null");
        builder.environment().put("PGSERVICEFILE", "/dev/null");
        builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("psql did not finish: " + conninfo);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return new Result(process.exitValue(), output);
    }
}
