package dev.xenon.proxy.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The framing codec. Startup-phase packets are untyped (Int32 length including itself, then the body); every
 * later message is a type byte, an Int32 length including itself, and the body.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-overview.html#PROTOCOL-MESSAGE-CONCEPTS">Messaging Overview</a>
 */
public final class Wire {
    /** Postgres' MAX_STARTUP_PACKET_LENGTH: anything longer is refused before it is read. */
    public static final int MAX_STARTUP_PACKET = 10_000;
    /** Postgres' PG_MAX_AUTH_TOKEN_LENGTH bounds SASL and password messages; other startup messages are small. */
    public static final int MAX_AUTH_MESSAGE = 65_535;
    /** Bound for what a compute sends before ReadyForQuery (ParameterStatus, notices, errors). */
    public static final int MAX_BACKEND_STARTUP_MESSAGE = 1 << 20;

    private Wire() {
    }

    /**
     * Reads an untyped startup-phase packet and returns its body (code first). Reads exactly the packet's bytes,
     * never ahead: after an SSLRequest the next bytes on the socket belong to the TLS handshake.
     */
    public static byte[] readStartupPacket(InputStream in) throws IOException, PgError {
        int length = readInt32(in);
        if (length < 8 || length > MAX_STARTUP_PACKET) {
            throw new PgError(SqlState.PROTOCOL_VIOLATION, "invalid length of startup packet");
        }
        return readFully(in, length - 4);
    }

    /** Reads one typed message, refusing bodies longer than {@code maxBody}. */
    public static Message readMessage(InputStream in, int maxBody) throws IOException, PgError {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("the peer closed the connection");
        }
        int length = readInt32(in);
        if (length < 4 || length - 4 > maxBody) {
            throw new PgError(SqlState.PROTOCOL_VIOLATION, "invalid message length " + length);
        }
        return new Message((byte) type, readFully(in, length - 4));
    }

    public static void writeMessage(OutputStream out, byte type, byte[] body) throws IOException {
        out.write(type);
        writeInt32(out, body.length + 4);
        out.write(body);
    }

    public static void writeMessage(OutputStream out, Message message) throws IOException {
        writeMessage(out, message.type(), message.body());
    }

    /** Writes an untyped startup-phase packet (StartupMessage, CancelRequest) whose body starts with its code. */
    public static void writeStartupPacket(OutputStream out, byte[] body) throws IOException {
        writeInt32(out, body.length + 4);
        out.write(body);
    }

    public static int readInt32(InputStream in) throws IOException {
        byte[] bytes = readFully(in, 4);
        return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
    }

    private static void writeInt32(OutputStream out, int value) throws IOException {
        out.write(new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value});
    }

    private static byte[] readFully(InputStream in, int count) throws IOException {
        byte[] bytes = in.readNBytes(count);
        if (bytes.length != count) {
            throw new EOFException("the peer closed the connection in the middle of a message");
        }
        return bytes;
    }
}
