package dev.xenon.proxy.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The server side of an open WebSocket (RFC 6455 section 5) as a pair of byte streams, the way Neon's proxy
 * treats it (WebSocketRw in proxy/src/serverless/websocket.rs): the payloads of binary frames, in order, are the
 * client's byte stream, whatever the frame boundaries; each {@code flush()} of the output sends what was written
 * as one binary frame. Pings are answered; a Close frame is answered and ends the input; a text frame is an error,
 * as in Neon. No extension is negotiated, so reserved bits must be clear.
 */
public final class WebSocketConnection {
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;
    private static final int OP_PING = 0x9;
    private static final int OP_PONG = 0xA;
    /** Status codes of RFC 6455 section 7.4.1. */
    public static final int NORMAL_CLOSURE = 1000;
    private static final int PROTOCOL_ERROR = 1002;
    private static final int UNSUPPORTED_DATA = 1003;

    private final InputStream rawIn;
    private final OutputStream rawOut;
    private final Object writeLock = new Object();
    private final Input input = new Input();
    private final Output output = new Output();
    // Guarded by writeLock.
    private boolean closeSent;

    /**
     * @param rawIn  the connection after the 101 response, buffered (frame headers are read a byte at a time)
     * @param rawOut the connection's output; frames are written whole and flushed
     */
    public WebSocketConnection(InputStream rawIn, OutputStream rawOut) {
        this.rawIn = requireNonNull(rawIn, "rawIn is null");
        this.rawOut = requireNonNull(rawOut, "rawOut is null");
    }

    /** The payload bytes of the client's binary frames; EOF once the client sends Close. */
    public InputStream in() {
        return input;
    }

    /** Buffers what is written; {@code flush()} sends it as one binary frame. */
    public OutputStream out() {
        return output;
    }

    /** Sends a Close frame unless one was sent: the clean end of the connection, before the socket closes. */
    public void close(int status) throws IOException {
        synchronized (writeLock) {
            if (closeSent) {
                return;
            }
            closeSent = true;
            writeFrame(OP_CLOSE, new byte[] {(byte) (status >>> 8), (byte) status}, 0, 2);
        }
    }

    private void writeFrame(int opcode, byte[] payload, int offset, int length) throws IOException {
        synchronized (writeLock) {
            if (closeSent && opcode != OP_CLOSE) {
                throw new IOException("the WebSocket is closing");
            }
            byte[] header;
            if (length < 126) {
                header = new byte[] {(byte) (0x80 | opcode), (byte) length};
            } else if (length < 65536) {
                header = new byte[] {(byte) (0x80 | opcode), 126, (byte) (length >>> 8), (byte) length};
            } else {
                header = new byte[10];
                header[0] = (byte) (0x80 | opcode);
                header[1] = 127;
                for (int i = 0; i < 8; i++) {
                    header[9 - i] = (byte) ((long) length >>> (8 * i));
                }
            }
            rawOut.write(header);
            rawOut.write(payload, offset, length);
            rawOut.flush();
        }
    }

    private final class Input extends InputStream {
        private long remaining;
        private final byte[] mask = new byte[4];
        private int maskIndex;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            while (remaining == 0) {
                if (ended || !nextDataFrame()) {
                    ended = true;
                    return -1;
                }
            }
            int n = rawIn.read(buffer, offset, (int) Math.min(length, remaining));
            if (n < 0) {
                throw new EOFException("the connection ended inside a WebSocket frame");
            }
            for (int i = offset; i < offset + n; i++) {
                buffer[i] ^= mask[maskIndex];
                maskIndex = (maskIndex + 1) & 3;
            }
            remaining -= n;
            return n;
        }

        /** Reads frame headers until a data frame (true; its payload is next) or a Close (false). */
        private boolean nextDataFrame() throws IOException {
            while (true) {
                int first = rawIn.read();
                if (first < 0) {
                    return false;
                }
                int second = readByte();
                int opcode = first & 0x0f;
                if ((first & 0x70) != 0 || (second & 0x80) == 0) {
                    // Reserved bits need an extension we did not offer; client frames must be masked (5.1).
                    throw protocolError("a WebSocket frame with reserved bits set or unmasked");
                }
                long length = second & 0x7f;
                if (length == 126) {
                    length = (readByte() << 8) | readByte();
                } else if (length == 127) {
                    length = 0;
                    for (int i = 0; i < 8; i++) {
                        length = (length << 8) | readByte();
                    }
                    if (length < 0) {
                        throw protocolError("a WebSocket frame longer than 2^63 bytes");
                    }
                }
                readFully(mask);
                maskIndex = 0;
                switch (opcode) {
                    case OP_BINARY, OP_CONTINUATION -> {
                        remaining = length;
                        return true;
                    }
                    case OP_TEXT -> {
                        WebSocketConnection.this.close(UNSUPPORTED_DATA);
                        throw new IOException("unexpected text message in the websocket");
                    }
                    case OP_PING, OP_PONG, OP_CLOSE -> {
                        if (length > 125) {
                            throw protocolError("a WebSocket control frame longer than 125 bytes");
                        }
                        byte[] payload = new byte[(int) length];
                        readFully(payload);
                        for (int i = 0; i < payload.length; i++) {
                            payload[i] ^= mask[i & 3];
                        }
                        if (opcode == OP_CLOSE) {
                            WebSocketConnection.this.close(NORMAL_CLOSURE);
                            return false;
                        }
                        if (opcode == OP_PING) {
                            writeFrame(OP_PONG, payload, 0, payload.length);
                        }
                    }
                    default -> throw protocolError("unknown WebSocket opcode " + opcode);
                }
            }
        }

        private IOException protocolError(String message) throws IOException {
            WebSocketConnection.this.close(PROTOCOL_ERROR);
            return new IOException(message);
        }

        private int readByte() throws IOException {
            int b = rawIn.read();
            if (b < 0) {
                throw new EOFException("the connection ended inside a WebSocket frame header");
            }
            return b;
        }

        private void readFully(byte[] target) throws IOException {
            for (int done = 0; done < target.length; ) {
                int n = rawIn.read(target, done, target.length - done);
                if (n < 0) {
                    throw new EOFException("the connection ended inside a WebSocket frame");
                }
                done += n;
            }
        }
    }

    private final class Output extends OutputStream {
        private byte[] buffer = new byte[8 * 1024];
        private int size;

        @Override
        public void write(int b) {
            ensure(1);
            buffer[size++] = (byte) b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, size, length);
            size += length;
        }

        @Override
        public void flush() throws IOException {
            if (size > 0) {
                writeFrame(OP_BINARY, buffer, 0, size);
                size = 0;
            }
        }

        private void ensure(int more) {
            if (size + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + more));
            }
        }
    }
}
