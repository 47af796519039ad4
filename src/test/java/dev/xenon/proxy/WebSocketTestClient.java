package dev.xenon.proxy;

import dev.xenon.testing.TrustAll;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A WebSocket client as small as a test needs (RFC 6455): the upgrade request with the headers given, then each
 * {@code flush()} of {@link #out} sends one masked binary frame, and {@link #in} yields the payloads of the
 * server's binary frames. Over TLS (trusting any certificate) or plain.
 */
final class WebSocketTestClient implements AutoCloseable {
    final Socket socket;
    final String response;
    final InputStream in;
    final OutputStream out;
    private final DataInputStream raw;
    private final OutputStream rawOut;

    private WebSocketTestClient(Socket socket, String target, String host) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        raw = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        rawOut = socket.getOutputStream();
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        rawOut.write(("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        rawOut.flush();
        response = readHead();
        in = new FramesIn();
        out = new FramesOut();
    }

    static WebSocketTestClient tls(int port, String target, String host) throws Exception {
        SSLSocket socket = (SSLSocket) trustingAll().getSocketFactory().createSocket("127.0.0.1", port);
        socket.startHandshake();
        return new WebSocketTestClient(socket, target, host);
    }

    private static SSLContext trustingAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        return context;
    }

    static WebSocketTestClient plain(int port, String target, String host) throws IOException {
        return new WebSocketTestClient(new Socket("127.0.0.1", port), target, host);
    }

    /** Sends {@code request} as it is over TLS and returns all the server answered before closing. */
    static String exchange(int port, String request) throws Exception {
        try (Socket socket = trustingAll().getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The status line, headers and (for a refusal) the body. */
    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = raw.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        if (!text.startsWith("HTTP/1.1 101 ")) {
            text += new String(raw.readAllBytes(), StandardCharsets.UTF_8);
        }
        return text;
    }

    private final class FramesIn extends InputStream {
        private byte[] frame = new byte[0];
        private int position;

        @Override
        public int read() throws IOException {
            return nextFrameIfDone() ? frame[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            // readNBytes asks for 0 bytes once it has all it wanted: answer at once, not with the next frame.
            if (length == 0) {
                return 0;
            }
            if (!nextFrameIfDone()) {
                return -1;
            }
            int n = Math.min(length, frame.length - position);
            System.arraycopy(frame, position, buffer, offset, n);
            position += n;
            return n;
        }

        /** Reads frames until one with bytes left to give; false at a Close frame or the end of the connection. */
        private boolean nextFrameIfDone() throws IOException {
            while (position == frame.length) {
                int first = raw.read();
                if (first < 0 || (first & 0x0f) == 0x8) {
                    return false;
                }
                long size = raw.readUnsignedByte() & 0x7f;
                size = size == 126 ? raw.readUnsignedShort() : size == 127 ? raw.readLong() : size;
                frame = new byte[(int) size];
                raw.readFully(frame);
                position = 0;
            }
            return true;
        }
    }

    private final class FramesOut extends OutputStream {
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        @Override
        public void write(int b) {
            pending.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            pending.write(bytes, offset, length);
        }

        @Override
        public void flush() throws IOException {
            byte[] payload = pending.toByteArray();
            pending.reset();
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write(0x82);
            if (payload.length < 126) {
                frame.write(0x80 | payload.length);
            } else {
                frame.write(0x80 | 126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            }
            byte[] mask = new byte[4];
            new SecureRandom().nextBytes(mask);
            frame.write(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.write(payload[i] ^ mask[i & 3]);
            }
            rawOut.write(frame.toByteArray());
            rawOut.flush();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
