package dev.xenon.provisioner.local.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One postmaster for one data directory, run as a child process of the JVM. Listens on loopback TCP only, with no
 * Unix socket, so the only way in is a password over TCP. Not restarted automatically: the owner decides.
 */
public final class PostgresServer implements AutoCloseable {
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(PostgresServer.class);
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    // A port picked as free can be taken by someone else before the postmaster binds it: retry with another.
    private static final int FREE_PORT_ATTEMPTS = 3;
    static final Duration POLL_INTERVAL = Duration.ofMillis(20);
    // A small cluster is up in about 25 ms, and a compute start is on the path of a client's first query (scale to
    // zero): polling every 20 ms added 10 ms on average. Reading postmaster.pid every 2 ms costs next to nothing.
    private static final Duration READY_POLL_INTERVAL = Duration.ofMillis(2);
    static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(10);
    private static final int LOG_TAIL_BYTES = 4096;
    // postmaster.pid lines (1-based in the Postgres sources): pid, data dir, start time, port, socket dir,
    // first listen address, shared memory key, status.
    static final int PID_LINE = 0;
    private static final int LISTEN_ADDRESS_LINE = 5;
    private static final int STATUS_LINE = 7;

    private final Distribution dist;
    private final Optional<OsUser> user;
    private final Path dataDir;

    // Not synchronized: start and stop wait up to a minute for the postmaster, and a virtual thread blocked in a
    // monitor pins its carrier thread (JDK 21-23); a waiting one unmounts from a ReentrantLock.
    private final ReentrantLock lock = new ReentrantLock();
    // Guarded by lock.
    private Process process;
    private int port;

    /**
     * @param user    the account to run as when Xenon is root; empty to run as the JVM's own account
     * @param dataDir an initialized cluster (see {@link InitDb}) owned by that account
     */
    public PostgresServer(Distribution dist, Optional<OsUser> user, Path dataDir) {
        this.dist = requireNonNull(dist, "dist is null");
        this.user = requireNonNull(user, "user is null");
        this.dataDir = requireNonNull(dataDir, "dataDir is null").toAbsolutePath().normalize();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** {@link #start(int, Map, Path, Duration)} with {@link #DEFAULT_START_TIMEOUT}. */
    public void start(int port, Map<String, String> settings, Path logFile) {
        start(port, settings, logFile, DEFAULT_START_TIMEOUT);
    }

    /**
     * Starts the postmaster and returns once it accepts connections.
     *
     * @param port     TCP port on 127.0.0.1, or 0 for a free one (see {@link #port()})
     * @param settings extra {@code -c name=value} settings; they override the defaults (listen_addresses,
     *                 unix_socket_directories)
     * @param logFile  where the server's stdout and stderr are appended; written by the JVM, so it need not be
     *                 writable by the Postgres account
     */
    public void start(int port, Map<String, String> settings, Path logFile, Duration timeout) {
        locked(() -> {
            startHoldingLock(port, settings, logFile, timeout);
            return null;
        });
    }

    private void startHoldingLock(int port, Map<String, String> settings, Path logFile, Duration timeout) {
        requireNonNull(settings, "settings is null");
        requireNonNull(logFile, "logFile is null");
        requireNonNull(timeout, "timeout is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
        settings.forEach((name, value) -> {
            if (!SETTING_NAME.matcher(name).matches() || value == null || value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("invalid Postgres setting " + name + "=" + value);
            }
        });
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("Postgres is already running on " + dataDir + " (pid " + process.pid() + ")");
        }
        String context = "while starting Postgres " + dist.version() + " on " + dataDir;
        try {
            checkDataDir();
            LeftoverPostmaster.stop(dataDir, timeout);
            Path log = logFile.toAbsolutePath().normalize();
            Files.createDirectories(log.getParent());
            long deadline = System.nanoTime() + timeout.toNanos();
            for (int attempt = 1; ; attempt++) {
                int chosen = port == 0 ? FreePort.pick() : port;
                long logOffset = Files.exists(log) ? Files.size(log) : 0;
                Process started = launch(chosen, settings, log);
                String failure = awaitReady(started, chosen, deadline);
                if (failure == null) {
                    this.process = started;
                    this.port = chosen;
                    return;
                }
                String tail = logTail(log, logOffset);
                boolean portTaken = tail.contains("could not bind") || tail.contains("Address already in use");
                if (port == 0 && portTaken && attempt < FREE_PORT_ATTEMPTS) {
                    LOG.info("Postgres could not bind port {} (taken meanwhile); retrying with another", chosen);
                    continue;
                }
                throw new IllegalStateException(failure + "; log " + log + " ends with:" + System.lineSeparator() + tail);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(context, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(context + ": " + e.getMessage(), e);
        }
    }

    /** The port the running (or last started) server listens on. */
    public int port() {
        return locked(() -> {
            requireStarted();
            return port;
        });
    }

    /** The postmaster's pid. */
    public long pid() {
        return locked(() -> {
            requireStarted();
            return process.pid();
        });
    }

    public boolean isAlive() {
        return locked(() -> process != null && process.isAlive());
    }

    /** Completes when the postmaster started last exits, for whatever reason: how a supervisor learns of a crash. */
    public CompletableFuture<Void> onExit() {
        return locked(() -> {
            requireStarted();
            return process.onExit().thenApply(p -> null);
        });
    }

    /**
     * Shuts down a postmaster that an earlier run of Xenon left serving this data directory (the JVM was killed
     * before it could stop it), so that nothing runs on data we no longer supervise. Does nothing if none does.
     */
    public void stopLeftover(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        locked(() -> {
            try {
                LeftoverPostmaster.stop(dataDir, timeout);
            } catch (IOException e) {
                throw new UncheckedIOException("while stopping a leftover postmaster on " + dataDir, e);
            }
            return null;
        });
    }

    /** {@link #stop(Duration)} with {@link #DEFAULT_STOP_TIMEOUT}. */
    public void stop() {
        stop(DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Fast shutdown: disconnects clients, rolls back their transactions, checkpoints, and waits for the postmaster
     * to exit. If it has not exited within the timeout, escalates to an immediate shutdown (crash recovery on
     * the next start) and finally SIGKILL. Does nothing when not running.
     */
    public void stop(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        locked(() -> {
            if (process == null) {
                return null;
            }
            try {
                terminate(process, timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping Postgres on " + dataDir, e);
            }
            return null;
        });
    }

    @Override
    public void close() {
        stop();
    }

    private <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    private void requireStarted() {
        if (process == null) {
            throw new IllegalStateException("Postgres on " + dataDir + " has not been started");
        }
    }

    private void checkDataDir() throws IOException {
        Path versionFile = dataDir.resolve("PG_VERSION");
        user.ifPresent(u -> {
            u.requireTraversable(dataDir.getParent());
            u.requireTraversable(dist.bin("postgres").getParent());
        });
        if (!Files.exists(versionFile)) {
            throw new IllegalStateException(dataDir + " is not a Postgres data directory (no PG_VERSION); run initdb");
        }
        String clusterMajor = Files.readString(versionFile).strip();
        if (!clusterMajor.equals(Integer.toString(dist.major()))) {
            throw new IllegalStateException("the cluster in " + dataDir + " was created by Postgres " + clusterMajor
                    + " and cannot be run by Postgres " + dist.major() + " (it needs pg_upgrade)");
        }
    }

    private Process launch(int port, Map<String, String> settings, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                dist.bin("postgres").toString(),
                "-D", dataDir.toString(),
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories="));
        settings.forEach((name, value) -> {
            command.add("-c");
            command.add(name + "=" + value);
        });
        ProcessBuilder builder = new ProcessBuilder(user.map(u -> u.wrap(command)).orElse(command))
                .directory(dataDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        return builder.start();
    }

    /** Null once the server accepts connections, else why it will not. */
    private String awaitReady(Process started, int port, long deadline) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        String pid = Long.toString(started.pid());
        try {
            while (true) {
                if (!started.isAlive()) {
                    return "Postgres exited with code " + started.exitValue() + " during startup";
                }
                List<String> lines = readLines(pidFile);
                if (lines.size() > STATUS_LINE
                        && lines.get(PID_LINE).strip().equals(pid)
                        && lines.get(STATUS_LINE).strip().equals("ready")
                        && accepts(lines.get(LISTEN_ADDRESS_LINE).strip(), port)) {
                    return null;
                }
                if (System.nanoTime() > deadline) {
                    terminate(started, SIGNAL_TIMEOUT);
                    return "Postgres did not accept connections on port " + port + " in time";
                }
                Thread.sleep(READY_POLL_INTERVAL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            started.destroyForcibly();
            throw new IllegalStateException("interrupted while waiting for Postgres to start", e);
        }
    }

    private static boolean accepts(String listenAddress, int port) {
        String host = listenAddress.isEmpty() || listenAddress.equals("*") ? "127.0.0.1" : listenAddress;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void terminate(Process target, Duration timeout) throws InterruptedException {
        if (!target.isAlive()) {
            return;
        }
        // Process.destroy() sends SIGTERM, a smart shutdown that waits for every client to leave: SIGINT is fast.
        signal(target.pid(), "INT");
        if (target.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        LOG.warn("Postgres on {} (pid {}) ignored a fast shutdown for {}; shutting down immediately",
                dataDir, target.pid(), timeout);
        signal(target.pid(), "QUIT");
        if (target.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
        }
        target.destroyForcibly();
        if (!target.waitFor(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Postgres on " + dataDir + " (pid " + target.pid() + ") does not exit");
        }
    }

    static void signal(long pid, String signal) {
        // Java can only send SIGTERM and SIGKILL; Postgres' shutdown modes need SIGINT and SIGQUIT. An exit code
        // of 1 means the process is gone already, which is what we want anyway.
        Commands.run(List.of("kill", "-s", signal, Long.toString(pid)), null, SIGNAL_TIMEOUT);
    }

    static List<String> readLines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static String logTail(Path log, long from) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long start = Math.max(from, file.length() - LOG_TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(could not read the log: " + e.getMessage() + ")";
        }
    }
}
