package dev.xenon.server;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.testing.ApiClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The packaged server as users run it ({@code java -jar xenon.jar server}), for tests that kill it, signal it or
 * start a second one. Output is kept, so a failing test can show what the server said.
 */
final class ServerProcess implements AutoCloseable {
    static final String API_KEY = "napi_" + "f".repeat(64);
    private static final Pattern READY = Pattern.compile("API at http://\\S+:(\\d+)/api/v2");

    private final Process process;
    private final List<String> output;
    private final int apiPort;

    private ServerProcess(Process process, List<String> output, int apiPort) {
        this.process = process;
        this.output = output;
        this.apiPort = apiPort;
    }

    /** Starts the server on {@code dataDir} and waits until it says it is ready. */
    static ServerProcess start(Path dataDir, String... extraArgs) {
        Process process = launch(dataDir, extraArgs);
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
                Matcher ready = READY.matcher(line);
                if (ready.find()) {
                    Thread drain = new Thread(() -> out.lines().forEach(lines::add), "server-output");
                    drain.setDaemon(true);
                    drain.start();
                    return new ServerProcess(process, lines, Integer.parseInt(ready.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        process.destroyForcibly();
        throw new AssertionError("server exited before it was ready:\n" + String.join("\n", lines));
    }

    /** Starts the server without waiting for it: for a start that is expected to be refused. */
    static Process launch(Path dataDir, String... extraArgs) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", System.getProperty("xenon.test.jar"), "server",
                "--data-dir", dataDir.toString(), "--api-port", "0", "--proxy-port", "0",
                "--pg-dist-dir", PgTestSupport.distDir().toString()));
        command.addAll(List.of(extraArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("XENON_API_KEY", API_KEY);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ApiClient client() {
        return ApiClient.at("http://127.0.0.1:" + apiPort, API_KEY);
    }

    int apiPort() {
        return apiPort;
    }

    Process process() {
        return process;
    }

    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** SIGKILL: no shutdown hook runs, every Postgres the server started is orphaned. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("server did not stop within 60 s of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }

    /** Every live process whose command line names {@code dir}: the Postgres processes serving data under it. */
    static List<ProcessHandle> processesUnder(Path dir) {
        String needle = dir.toAbsolutePath().normalize().toString();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> commandLine(p).contains(needle))
                    .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
                    .flatMap(java.util.Optional::stream)
                    .filter(ProcessHandle::isAlive)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String commandLine(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }
}
