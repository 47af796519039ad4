package dev.xenon.proxy.protocol;

import java.nio.charset.StandardCharsets;

/** Builds and reads ErrorResponse bodies (protocol-error-fields.html): byte field code, String value, ..., 0. */
final class ErrorFields {
    private ErrorFields() {
    }

    static byte[] fatal(String sqlState, String message, String hint) {
        PacketWriter body = new PacketWriter()
                .int8(MessageTypes.FIELD_SEVERITY).cstring("FATAL")
                .int8(MessageTypes.FIELD_SEVERITY_NON_LOCALIZED).cstring("FATAL")
                .int8(MessageTypes.FIELD_CODE).cstring(sqlState)
                .int8(MessageTypes.FIELD_MESSAGE).cstring(message);
        if (hint != null) {
            body.int8(MessageTypes.FIELD_HINT).cstring(hint);
        }
        return body.int8(0).toByteArray();
    }

    /** "SQLSTATE: message" of an ErrorResponse body, for logs and exception messages. */
    static String summary(byte[] body) {
        String code = "?";
        String message = "";
        int i = 0;
        while (i < body.length && body[i] != 0) {
            byte field = body[i++];
            int end = i;
            while (end < body.length && body[end] != 0) {
                end++;
            }
            String value = new String(body, i, end - i, StandardCharsets.UTF_8);
            if (field == MessageTypes.FIELD_CODE) {
                code = value;
            } else if (field == MessageTypes.FIELD_MESSAGE) {
                message = value;
            }
            i = end + 1;
        }
        return code + ": " + message;
    }
}
