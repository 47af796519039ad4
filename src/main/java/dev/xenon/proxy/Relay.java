package dev.xenon.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte pipe of an established session: each direction on a thread of its own. Either direction ending (EOF or
 * error) ends both: the other side is closed at once rather than left half open, as a client talking to Postgres
 * directly would see it.
 *
 * <p>The relay threads are platform threads, kept in a pool for reuse, while everything before (negotiation,
 * authentication, waking the compute) runs on the session's virtual thread. A virtual thread waiting for a socket
 * parks and is woken through the JDK's poller: epoll_ctl to re-arm the socket, a poller thread to see it ready,
 * then a carrier thread to be woken and run it, so every relayed message costs two thread hand-offs. A platform
 * thread waits in poll(2) on its own socket and the kernel wakes it directly. With pgbench select-only on two
 * cores this cut the proxy's CPU time per transaction by about a third (docs/BENCHMARKS.md). The price is two
 * platform threads (256 KiB stacks, mostly untouched) per open session; where very many mostly idle sessions make
 * that too much, the system property {@value #THREADS_PROPERTY}{@code =virtual} relays on virtual threads again
 * (read per session).
 */
final class Relay {
    private static final int BUFFER = 16 * 1024;
    static final String THREADS_PROPERTY = "xenon.proxy.relayThreads";
    private static final ExecutorService PLATFORM_THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().stackSize(256 * 1024).name("proxy-relay-", 0).factory());
    private static final ExecutorService VIRTUAL_THREADS = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("proxy-relay-", 0).factory());

    private Relay() {
    }

    /**
     * @param closeBoth closes both connections; called as soon as either direction ends, maybe twice
     * @return bytes relayed from the compute to the client
     */
    static long run(InputStream clientIn, OutputStream computeOut, InputStream computeIn, OutputStream clientOut,
                    Runnable endClientOutput, Runnable closeBoth) throws InterruptedException {
        AtomicLong upstream = new AtomicLong();
        AtomicLong downstream = new AtomicLong();
        ExecutorService threads = "virtual".equals(System.getProperty(THREADS_PROPERTY)) ? VIRTUAL_THREADS
                : PLATFORM_THREADS;
        Future<?> up = threads.submit(() -> {
            try {
                copy(clientIn, computeOut, upstream);
            } finally {
                closeBoth.run();
            }
        });
        Future<?> down = threads.submit(() -> {
            try {
                if (copy(computeIn, clientOut, downstream)) {
                    // The compute ended the session (after a FATAL error, say): end the client's stream cleanly.
                    endClientOutput.run();
                }
            } finally {
                closeBoth.run();
            }
        });
        try {
            await(down);
            await(up);
        } catch (InterruptedException e) {
            closeBoth.run();
            throw e;
        }
        return downstream.get();
    }

    private static void await(Future<?> direction) throws InterruptedException {
        try {
            direction.get();
        } catch (ExecutionException e) {
            // copy() handles I/O errors; anything else is a bug worth the session's own error handling.
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Copies until EOF (true) or an I/O error (false). */
    private static boolean copy(InputStream in, OutputStream out, AtomicLong counter) {
        try {
            InputStream source = in;
            if (in instanceof ReadAheadInputStream readAhead) {
                // What start-up read ahead goes first; then the stream beneath, without BufferedInputStream's
                // ioctl(FIONREAD) after every short read.
                byte[] early = readAhead.takeBuffered();
                if (early.length > 0) {
                    out.write(early);
                    out.flush();
                    counter.addAndGet(early.length);
                }
                source = readAhead.unbuffered();
            }
            byte[] buffer = new byte[BUFFER];
            // One read takes what the socket holds (up to the buffer's size): forward it at once. Asking whether
            // more is waiting before flushing would cost a system call per read and rarely find any.
            for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
                counter.addAndGet(n);
            }
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
