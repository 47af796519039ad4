package dev.xenon.proxy.protocol;

import java.util.Map;

/** Builds the frontend messages the proxy sends to a compute (protocol-message-formats.html). */
public final class FrontendMessages {
    private FrontendMessages() {
    }

    /** StartupMessage body for protocol 3.0: the version, then name/value String pairs, then an empty String. */
    public static byte[] startup(Map<String, String> parameters) {
        PacketWriter body = new PacketWriter().int32(MessageTypes.PROTOCOL_3_0);
        parameters.forEach((name, value) -> body.cstring(name).cstring(value));
        return body.int8(0).toByteArray();
    }

    public static byte[] cancelRequest(int processId, int secretKey) {
        return new PacketWriter().int32(MessageTypes.CANCEL_REQUEST).int32(processId).int32(secretKey).toByteArray();
    }

    /** SASLInitialResponse: mechanism String, Int32 length of the initial response, the response. */
    public static Message saslInitialResponse(String mechanism, byte[] initialResponse) {
        byte[] body = new PacketWriter().cstring(mechanism).int32(initialResponse.length).bytes(initialResponse)
                .toByteArray();
        return new Message(MessageTypes.PASSWORD_MESSAGE, body);
    }

    /** SASLResponse: the mechanism-specific data, filling the message. */
    public static Message saslResponse(byte[] data) {
        return new Message(MessageTypes.PASSWORD_MESSAGE, data);
    }
}
