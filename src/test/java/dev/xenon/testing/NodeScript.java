package dev.xenon.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a script of {@code e2e/} with node (packages pinned there, {@code npm ci}) and captures what it printed. */
public final class NodeScript {
    public static final Path E2E_DIR = Path.of(System.getProperty("user.dir"), "e2e").toAbsolutePath().normalize();

    /** What the script printed: stdout for results, stderr for errors and warnings. */
    public record Run(int exitCode, String output, String errors) {
    }

    private NodeScript() {
    }

    /**
     * @param env the only NODE_*, PG* and SSL_CERT* variables the script sees: no inherited CA bundle, TLS override
     *            or libpq variable may change the result
     */
    public static Run run(String script, List<String> args, Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("node", E2E_DIR.resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(E2E_DIR.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("NODE_") || name.startsWith("PG")
                || name.startsWith("SSL_CERT"));
        builder.environment().putAll(env);
        Path out = Files.createTempFile("node", ".out");
        Path err = Files.createTempFile("node", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(script + " did not finish: " + Files.readString(err));
            }
            return new Run(process.exitValue(), Files.readString(out).strip(), Files.readString(err).strip());
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }
}
