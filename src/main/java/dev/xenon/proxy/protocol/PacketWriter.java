package dev.xenon.proxy.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds a message body: Int8, Int32 (network byte order), String (null-terminated UTF-8) and raw bytes. */
public final class PacketWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(64);

    public PacketWriter int8(int value) {
        out.write(value);
        return this;
    }

    public PacketWriter int32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    public PacketWriter cstring(String value) {
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        out.write(0);
        return this;
    }

    public PacketWriter bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
