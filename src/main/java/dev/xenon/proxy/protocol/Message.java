package dev.xenon.proxy.protocol;

import static java.util.Objects.requireNonNull;

/** One typed message: the type byte and the body after the Int32 length. */
public record Message(byte type, byte[] body) {
    public Message {
        requireNonNull(body, "body is null");
    }

    public PacketReader reader() {
        return new PacketReader(body);
    }

    /** The Int32 code of an Authentication message, or -1 if this is another message. */
    public int authCode() {
        if (type != MessageTypes.AUTHENTICATION || body.length < 4) {
            return -1;
        }
        return ((body[0] & 0xff) << 24) | ((body[1] & 0xff) << 16) | ((body[2] & 0xff) << 8) | (body[3] & 0xff);
    }
}
