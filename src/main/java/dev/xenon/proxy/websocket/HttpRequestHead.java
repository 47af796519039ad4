package dev.xenon.proxy.websocket;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The request line and headers of an HTTP/1.1 request (RFC 9112 section 2), read byte-exact so that what follows
 * the blank line (WebSocket frames, a body) stays in the stream. Header names are kept lower-case; a repeated
 * header keeps its values comma-joined, as RFC 9110 section 5.3 allows.
 */
public record HttpRequestHead(String method, String target, Map<String, String> headers) {
    /** Larger than any browser or driver sends for a WebSocket upgrade; a bound on what a client can make us hold. */
    static final int MAX_BYTES = 16 * 1024;

    public HttpRequestHead {
        requireNonNull(method, "method is null");
        requireNonNull(target, "target is null");
        headers = Map.copyOf(headers);
    }

    public static HttpRequestHead read(InputStream in) throws IOException, HttpError {
        String requestLine = line(in, new int[] {0});
        int[] total = {requestLine.length()};
        String[] parts = requestLine.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new HttpError(400, "malformed request line");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in, total); !header.isEmpty(); header = line(in, total)) {
            int colon = header.indexOf(':');
            if (colon <= 0) {
                throw new HttpError(400, "malformed header line");
            }
            String name = header.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).strip();
            headers.merge(name, value, (a, b) -> a + ", " + b);
        }
        return new HttpRequestHead(parts[0], parts[1], headers);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether a comma-separated header (Connection, Upgrade) holds {@code token}, case-insensitively. */
    public boolean headerHasToken(String name, String token) {
        return header(name).stream().flatMap(v -> java.util.Arrays.stream(v.split(",")))
                .anyMatch(t -> t.strip().equalsIgnoreCase(token));
    }

    public String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** The first value of a query parameter, percent-decoded. */
    public Optional<String> queryParameter(String name) {
        int query = target.indexOf('?');
        if (query < 0) {
            return Optional.empty();
        }
        for (String pair : target.substring(query + 1).split("&")) {
            int equals = pair.indexOf('=');
            String key = decode(equals < 0 ? pair : pair.substring(0, equals));
            if (key.equals(name)) {
                return Optional.of(equals < 0 ? "" : decode(pair.substring(equals + 1)));
            }
        }
        return Optional.empty();
    }

    /** The host of the Host header, without its port and, for an IPv6 literal, without brackets. */
    public Optional<String> host() {
        return header("host").filter(h -> !h.isEmpty()).map(HostAndPort::parse).map(HostAndPort::host);
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    /** One CRLF-terminated line (a bare LF is accepted too), counted against {@link #MAX_BYTES}. */
    private static String line(InputStream in, int[] total) throws IOException, HttpError {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the client closed the connection inside the request head");
            }
            if (++total[0] > MAX_BYTES) {
                throw new HttpError(431, "request head larger than " + MAX_BYTES + " bytes");
            }
            if (b == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r' ? line.substring(0, end - 1) : line.toString();
            }
            // Request heads are ASCII (RFC 9110 section 5.5); other octets are kept as ISO-8859-1, never decoded.
            line.append((char) b);
        }
    }
}
