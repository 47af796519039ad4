package dev.xenon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls the API like a client would and checks every response against Neon's OpenAPI document before the test
 * sees it, so a wire-shape drift fails whichever test triggers it.
 */
public final class ApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String baseUrl;
    private final String apiKey;

    ApiClient(String baseUrl, String apiKey) {
        this.baseUrl = baseUrl;
        this.apiKey = apiKey;
    }

    /** A client of a server this JVM did not start (a server process). */
    public static ApiClient at(String baseUrl, String apiKey) {
        return new ApiClient(baseUrl, apiKey);
    }

    public record Response(int status, JsonNode body, String raw, Map<String, java.util.List<String>> headers) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }

        public Response expect(int expected) {
            assertThat(status).as("status of a response with body %s", raw).isEqualTo(expected);
            return this;
        }
    }

    public Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    public Response post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    public Response patch(String path, Object body) {
        return send("PATCH", path, body, Map.of());
    }

    public Response delete(String path) {
        return send("DELETE", path, null, Map.of());
    }

    /** {@code body} may be a JSON string (sent as is), any object (serialised), or null (no body). */
    public Response send(String method, String path, Object body, Map<String, String> headers) {
        return send(method, "/api/v2" + path, body, headers, true);
    }

    /** For routes outside Neon's API (Xenon's own, or deliberately unknown paths): no spec check. */
    public Response sendOutsideSpec(String method, String path, Object body) {
        return send(method, "/api/v2" + path, body, Map.of(), false);
    }

    /** Xenon's own routes under /xenon/v1. */
    public Response xenon(String method, String path, Object body) {
        return send(method, "/xenon/v1" + path, body, Map.of(), false);
    }

    private Response send(String method, String fullPath, Object body, Map<String, String> headers,
                          boolean checkSpec) {
        String path = fullPath.substring(fullPath.indexOf('/', fullPath.indexOf('/', 1) + 1));
        try {
            String payload = body == null ? null : body instanceof String s ? s : JSON.writeValueAsString(body);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + fullPath))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, payload == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(payload));
            if (apiKey != null) {
                request.header("Authorization", "Bearer " + apiKey);
            }
            if (payload != null && headers.keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
                request.header("Content-Type", "application/json");
            }
            headers.forEach(request::header);
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String contentType = response.headers().firstValue("Content-Type").orElse("");
            if (!response.body().isEmpty()) {
                assertThat(contentType).as("Content-Type of %s %s", method, path).startsWith("application/json");
            }
            JsonNode parsed = response.body().isEmpty() ? null : JSON.readTree(response.body());
            if (checkSpec) {
                SpecCheck.shared().check(method, path, response.statusCode(), response.body());
            }
            return new Response(response.statusCode(), parsed, response.body(), response.headers().map());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
