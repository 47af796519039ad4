package dev.xenon.store;

import dev.xenon.provisioner.local.postgres.PostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Keeps a started postmaster running on its port: whenever it exits without being asked to (killed, crashed, out
 * of memory), it is started again, on the same port so that connection URLs stay valid, with backoff between
 * failed attempts. The first attempts may fail while the old postmaster's children are still leaving its shared
 * memory ("pre-existing shared memory block is still in use"); they notice their parent's death within moments.
 */
final class SupervisedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedPostgres.class);
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final PostgresServer server;
    private final int port;
    private final Path logFile;
    private final String what;
    // A lock, not a monitor: a restart holds it while the postmaster starts (up to a minute) on a virtual thread.
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final AtomicInteger restarts = new AtomicInteger();
    private volatile boolean closed;
    private volatile boolean up = true;

    /** @param server already started; {@code what} names it in logs */
    SupervisedPostgres(PostgresServer server, Path logFile, String what) {
        this.server = requireNonNull(server, "server is null");
        this.logFile = requireNonNull(logFile, "logFile is null");
        this.what = requireNonNull(what, "what is null");
        this.port = server.port();
        watch();
    }

    /** False from the moment the postmaster is seen to exit until it accepts connections again. */
    boolean up() {
        return up && !closed;
    }

    /** How many times it was started again. */
    int restarts() {
        return restarts.get();
    }

    long pid() {
        return server.pid();
    }

    int port() {
        return port;
    }

    private void watch() {
        long pid = server.pid();
        server.onExit().thenRun(() -> exited(pid));
    }

    private void exited(long pid) {
        if (closed) {
            return;
        }
        up = false;
        LOG.warn("{} (postmaster pid {}) exited unexpectedly; restarting it on port {}", what, pid, port);
        Thread.ofVirtual().name("restart-" + port).start(this::restart);
    }

    private void restart() {
        long started = System.nanoTime();
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try {
                lifecycle.lock();
                try {
                    if (closed) {
                        return;
                    }
                    server.start(port, Map.of(), logFile);
                } finally {
                    lifecycle.unlock();
                }
                restarts.incrementAndGet();
                up = true;
                LOG.info("{} restarted (postmaster pid {}) in {} ms", what, server.pid(),
                        (System.nanoTime() - started) / 1_000_000);
                watch();
                return;
            } catch (RuntimeException e) {
                LOG.warn("while restarting {}: {}", what, e.getMessage());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Duration doubled = backoff.multipliedBy(2);
            backoff = doubled.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : doubled;
        }
    }

    /** Stops it for good: no restart after this. */
    @Override
    public void close() {
        closed = true;
        lifecycle.lock();
        try {
            server.stop();
        } finally {
            lifecycle.unlock();
        }
    }
}
