package dev.xenon.proxy;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * Closes a socket when a phase of a session (start-up and authentication, logging in to the compute) outlasts
 * its time, so that whatever is reading or writing it fails at once.
 *
 * <p>Not {@code Socket.setSoTimeout} or a timed connect: either switches the JDK's socket to non-blocking mode
 * for good, and a relay reading a non-blocking socket pays a failed read and a poll(2) before every real read,
 * three system calls instead of one per message. Nor may a virtual thread touch the socket, for the same reason.
 */
final class SocketDeadline implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private final ScheduledFuture<?> closing;
    private volatile boolean expired;

    private SocketDeadline(Socket socket, Duration timeout) {
        this.closing = TIMER.schedule(() -> {
            expired = true;
            ComputeLogin.closeQuietly(socket);
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Closes {@code socket} after {@code timeout} unless {@link #close()}d first. */
    static SocketDeadline after(Duration timeout, Socket socket) {
        requireNonNull(timeout, "timeout is null");
        requireNonNull(socket, "socket is null");
        return new SocketDeadline(socket, timeout);
    }

    /** Whether the time ran out and the socket was closed for it. */
    boolean expired() {
        return expired;
    }

    /** Cancels the deadline; the socket stays open. */
    @Override
    public void close() {
        closing.cancel(false);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("proxy-deadlines").factory());
        // Nearly every deadline is cancelled: drop them from the queue then, not when they would have fired.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
