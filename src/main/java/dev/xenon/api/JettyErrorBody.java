package dev.xenon.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Requests Jetty refuses before any route sees them (a NUL or an ambiguous escape in the path, a malformed
 * header) still get Neon's JSON error body rather than Jetty's HTML page.
 */
final class JettyErrorBody extends ErrorHandler {
    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        int status = response.getStatus() < 400 ? 400 : response.getStatus();
        Object reason = request.getAttribute("jakarta.servlet.error.message");
        String message = reason == null ? "the request was refused" : reason.toString();
        String body = body(status, message);
        response.setStatus(status);
        response.setContentType("application/json");
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        baseRequest.setHandled(true);
    }

    /** Messages so malformed that Jetty answers them from the HTTP parser, before any servlet. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return BufferUtil.toBuffer(body(status, reason == null ? "malformed request" : reason), StandardCharsets.UTF_8);
    }

    private static String body(int status, String message) {
        return "{\"code\":\"" + (status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST") + "\",\"message\":"
                + quote(message) + ",\"request_id\":\"" + UUID.randomUUID() + "\"}";
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
