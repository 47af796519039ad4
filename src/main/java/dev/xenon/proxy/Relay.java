package dev.xenon.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The byte pipe of an established session: client to compute on a virtual thread of its own, compute to client on
 * the caller's. Either direction ending (EOF or error) ends both: the other side is closed at once rather than
 * left half open, as a client talking to Postgres directly would see it.
 */
final class Relay {
    private static final int BUFFER = 16 * 1024;

    private Relay() {
    }

    /**
     * @param closeBoth closes both connections; called as soon as either direction ends, maybe twice
     * @return bytes relayed from the compute to the client
     */
    static long run(InputStream clientIn, OutputStream computeOut, InputStream computeIn, OutputStream clientOut,
                    Runnable endClientOutput, Runnable closeBoth) throws InterruptedException {
        AtomicLong upstream = new AtomicLong();
        Thread up = Thread.ofVirtual().name("proxy-relay-up").start(() -> {
            try {
                copy(clientIn, computeOut, upstream);
            } finally {
                closeBoth.run();
            }
        });
        AtomicLong downstream = new AtomicLong();
        try {
            if (copy(computeIn, clientOut, downstream)) {
                // The compute ended the session (after a FATAL error, say): end the client's stream cleanly.
                endClientOutput.run();
            }
        } finally {
            closeBoth.run();
        }
        up.join();
        return downstream.get();
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
