package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/** Runs short-lived helper commands (id, kill, initdb) to completion and captures their output. */
public final class Commands {
    /** Exit code and combined stdout+stderr of a finished command. */
    public record Result(int exitCode, String output) {
        public Result {
            requireNonNull(output, "output is null");
        }

        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Commands() {
    }

    /** Runs the command and returns its result whatever the exit code; fails only if it cannot run or times out. */
    public static Result run(List<String> command, Path workDir, Duration timeout) {
        requireNonNull(command, "command is null");
        requireNonNull(timeout, "timeout is null");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        // The commands never read input; an open pipe could make one wait for it forever.
        builder.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("while starting " + command, e);
        }
        // Read on another thread so that a process that never exits cannot block us past the timeout.
        CompletableFuture<String> output = CompletableFuture.supplyAsync(
                () -> readAll(process.getInputStream()),
                runnable -> Thread.ofVirtual().name("command-output").start(runnable));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("timed out after " + timeout + " running " + command);
            }
            return new Result(process.exitValue(), output.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("while reading the output of " + command, e);
        }
    }

    /** Runs the command and returns its output, failing with the output when it exits non-zero. */
    public static String runOrFail(List<String> command, Path workDir, Duration timeout, String what) {
        requireNonNull(what, "what is null");
        Result result = run(command, workDir, timeout);
        if (!result.ok()) {
            throw new IllegalStateException(what + " failed (exit " + result.exitCode() + "): " + command
                    + System.lineSeparator() + result.output().strip());
        }
        return result.output();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
