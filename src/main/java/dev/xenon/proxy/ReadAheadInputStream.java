package dev.xenon.proxy;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffered stream for the start-up phase, whose read-ahead can be handed over: once a session relays bytes, it
 * takes what was buffered and reads the stream beneath directly. BufferedInputStream.read asks the socket how
 * much is available (an ioctl) after every short read, which a relay reading whole socket buffers never needs.
 */
final class ReadAheadInputStream extends BufferedInputStream {
    ReadAheadInputStream(InputStream in, int size) {
        super(in, size);
    }

    /** The bytes read ahead and not consumed yet, which the stream beneath continues from; empties the buffer. */
    synchronized byte[] takeBuffered() {
        if (buf == null || pos >= count) {
            return new byte[0];
        }
        byte[] taken = Arrays.copyOfRange(buf, pos, count);
        pos = count;
        return taken;
    }

    /** The stream beneath, to read from once {@link #takeBuffered} has been taken. */
    InputStream unbuffered() {
        return in;
    }
}
