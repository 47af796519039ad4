package dev.xenon.proxy.protocol;

import java.util.List;

/** Builds the backend messages the proxy writes itself (protocol-message-formats.html). */
public final class BackendMessages {
    private BackendMessages() {
    }

    public static Message authenticationOk() {
        return auth(MessageTypes.AUTH_OK, new byte[0]);
    }

    public static Message authenticationCleartextPassword() {
        return auth(MessageTypes.AUTH_CLEARTEXT_PASSWORD, new byte[0]);
    }

    /** AuthenticationSASL: the mechanisms in order of preference, each a String, then an empty String. */
    public static Message authenticationSasl(List<String> mechanisms) {
        PacketWriter names = new PacketWriter();
        mechanisms.forEach(names::cstring);
        return auth(MessageTypes.AUTH_SASL, names.int8(0).toByteArray());
    }

    public static Message authenticationSaslContinue(byte[] data) {
        return auth(MessageTypes.AUTH_SASL_CONTINUE, data);
    }

    public static Message authenticationSaslFinal(byte[] data) {
        return auth(MessageTypes.AUTH_SASL_FINAL, data);
    }

    public static Message backendKeyData(int processId, int secretKey) {
        return new Message(MessageTypes.BACKEND_KEY_DATA, new PacketWriter().int32(processId).int32(secretKey).toByteArray());
    }

    /** NegotiateProtocolVersion: the newest minor version we support and the _pq_ options we did not recognize. */
    public static Message negotiateProtocolVersion(int newestMinor, List<String> unrecognizedOptions) {
        PacketWriter body = new PacketWriter().int32(newestMinor).int32(unrecognizedOptions.size());
        unrecognizedOptions.forEach(body::cstring);
        return new Message(MessageTypes.NEGOTIATE_PROTOCOL_VERSION, body.toByteArray());
    }

    public static Message errorResponse(PgError error) {
        return new Message(MessageTypes.ERROR_RESPONSE, error.responseBody());
    }

    private static Message auth(int code, byte[] rest) {
        return new Message(MessageTypes.AUTHENTICATION, new PacketWriter().int32(code).bytes(rest).toByteArray());
    }
}
