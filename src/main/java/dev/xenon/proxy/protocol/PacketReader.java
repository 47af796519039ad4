package dev.xenon.proxy.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads a message body; a body that ends early or lacks a terminator is a protocol violation. */
public final class PacketReader {
    private final byte[] body;
    private int position;

    public PacketReader(byte[] body) {
        this.body = body;
    }

    public int int32() throws PgError {
        need(4);
        int value = ((body[position] & 0xff) << 24) | ((body[position + 1] & 0xff) << 16)
                | ((body[position + 2] & 0xff) << 8) | (body[position + 3] & 0xff);
        position += 4;
        return value;
    }

    public String cstring() throws PgError {
        int end = position;
        while (end < body.length && body[end] != 0) {
            end++;
        }
        if (end == body.length) {
            throw violation("a string is not terminated");
        }
        String value = new String(body, position, end - position, StandardCharsets.UTF_8);
        position = end + 1;
        return value;
    }

    public byte[] bytes(int length) throws PgError {
        if (length < 0) {
            throw violation("negative length " + length);
        }
        need(length);
        byte[] value = Arrays.copyOfRange(body, position, position + length);
        position += length;
        return value;
    }

    public byte[] rest() {
        byte[] value = Arrays.copyOfRange(body, position, body.length);
        position = body.length;
        return value;
    }

    public boolean atEnd() {
        return position == body.length;
    }

    /** The next byte without consuming it, or -1 at the end. */
    public int peek() {
        return position < body.length ? body[position] & 0xff : -1;
    }

    private void need(int count) throws PgError {
        if (body.length - position < count) {
            throw violation("the message ends early");
        }
    }

    private static PgError violation(String what) {
        return new PgError(SqlState.PROTOCOL_VIOLATION, "invalid message format: " + what);
    }
}
