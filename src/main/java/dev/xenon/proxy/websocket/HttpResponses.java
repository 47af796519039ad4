package dev.xenon.proxy.websocket;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The few HTTP/1.1 responses the HTTPS port writes itself: the WebSocket upgrade and refusals. */
public final class HttpResponses {
    /** RFC 6455 section 1.3: appended to the client's key before hashing, proving we speak WebSocket. */
    private static final String WEBSOCKET_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private HttpResponses() {
    }

    /** Whether the request asks to become a WebSocket (RFC 6455 section 4.2.1), whatever its path. */
    public static boolean isWebSocketUpgrade(HttpRequestHead head) {
        return head.headerHasToken("upgrade", "websocket");
    }

    /** Checks the opening handshake and answers 101 Switching Protocols; after this, frames flow both ways. */
    public static void acceptWebSocket(HttpRequestHead head, OutputStream out) throws IOException, HttpError {
        if (!head.method().equals("GET") || !head.headerHasToken("connection", "upgrade")) {
            throw new HttpError(400, "a WebSocket upgrade is a GET with Connection: Upgrade");
        }
        if (!head.header("sec-websocket-version").map(String::strip).filter("13"::equals).isPresent()) {
            throw new HttpError(426, "WebSocket version 13 is required");
        }
        String key = head.header("sec-websocket-key").map(String::strip).orElseThrow(
                () -> new HttpError(400, "Sec-WebSocket-Key is missing"));
        write(out, "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + acceptKey(key) + "\r\n\r\n");
    }

    /** A refusal with a JSON body ({@code {"message": ...}}, the shape of Neon's HTTP errors); closes after. */
    public static void error(OutputStream out, HttpError error) throws IOException {
        String body = "{\"message\":\"" + jsonEscape(error.getMessage()) + "\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        write(out, "HTTP/1.1 " + error.status() + " " + reason(error.status()) + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + bytes.length + "\r\n"
                + (error.status() == 426 ? "Sec-WebSocket-Version: 13\r\n" : "")
                + "Connection: close\r\n\r\n" + body);
    }

    static String acceptKey(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1")
                    .digest((key + WEBSOCKET_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 426 -> "Upgrade Required";
            case 431 -> "Request Header Fields Too Large";
            default -> "Error";
        };
    }

    private static String jsonEscape(String text) {
        StringBuilder escaped = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
