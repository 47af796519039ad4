package dev.xenon.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * A buffered stream for the start-up phase, whose read-ahead can be handed over: once a session relays bytes, it
 * takes what was buffered and reads the stream beneath directly. Unlike BufferedInputStream it never asks the
 * socket how much is available (an ioctl after every short read), and it takes no lock: one thread reads it at a
 * time. (A BufferedInputStream subclass would fall back to synchronized, which pins a virtual thread blocked in a
 * read to its carrier on Java 21.)
 */
final class ReadAheadInputStream extends InputStream {
    private final InputStream in;
    private final byte[] buffer;
    private int position;
    private int count;

    ReadAheadInputStream(InputStream in, int size) {
        this.in = requireNonNull(in, "in is null");
        this.buffer = new byte[size];
    }

    @Override
    public int read() throws IOException {
        if (position >= count && !fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    /** Returns what is buffered, else what one read of the stream beneath gives (straight into {@code b} if large). */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position >= count) {
            if (len >= buffer.length) {
                return in.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(len, count - position);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return count - position + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The bytes read ahead and not consumed yet, which the stream beneath continues from; empties the buffer. */
    byte[] takeBuffered() {
        byte[] taken = Arrays.copyOfRange(buffer, position, count);
        position = count;
        return taken;
    }

    /** The stream beneath, to read from once {@link #takeBuffered} has been taken. */
    InputStream unbuffered() {
        return in;
    }

    private boolean fill() throws IOException {
        int n = in.read(buffer, 0, buffer.length);
        if (n <= 0) {
            position = count = 0;
            return false;
        }
        position = 0;
        count = n;
        return true;
    }
}
