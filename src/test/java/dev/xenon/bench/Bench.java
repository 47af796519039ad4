package dev.xenon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.testing.Pg;
import dev.xenon.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What the benchmarks share: a lean API client (no OpenAPI check on the timed path, unlike the tests' ApiClient),
 * waiting for operations, a first query, and medians.
 */
final class Bench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Bench() {
    }

    /** The API of one test server. */
    record Api(String base) {
        Api(TestServer server) {
            this(server.baseUrl() + "/api/v2");
        }

        JsonNode get(String path) {
            return send("GET", path, null);
        }

        JsonNode post(String path, Object body) {
            return send("POST", path, body);
        }

        JsonNode delete(String path) {
            return send("DELETE", path, null);
        }

        JsonNode send(String method, String path, Object body) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                        .header("Authorization", "Bearer " + TestServer.API_KEY)
                        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
                if (body != null) {
                    request.header("Content-Type", "application/json");
                }
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 != 2) {
                    throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                            + response.body());
                }
                return response.body().isEmpty() ? null : JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /**
         * Polls every 5 ms until no operation of the project is scheduled or running; fails on a failed one. Often
         * enough to time, rarely enough not to load the server being timed.
         */
        void awaitOperations(String project) {
            long deadline = System.nanoTime() + 600_000_000_000L;
            while (true) {
                boolean open = false;
                for (JsonNode op : get("/projects/" + project + "/operations?limit=1000").get("operations")) {
                    String status = op.get("status").asText();
                    if (status.equals("failed")) {
                        throw new IllegalStateException("operation failed: " + op);
                    }
                    open |= !status.equals("finished");
                }
                if (!open) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("operations of " + project + " did not finish");
                }
                sleep(5);
            }
        }
    }

    /** A connection URI with some of its query parameters replaced (null removes one). */
    static String withParams(String uri, Map<String, String> replace) {
        int q = uri.indexOf('?');
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : uri.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                params.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        replace.forEach((k, v) -> {
            if (v == null) {
                params.remove(k);
            } else {
                params.put(k, v);
            }
        });
        StringBuilder out = new StringBuilder(q >= 0 ? uri.substring(0, q) : uri);
        String sep = "?";
        for (Map.Entry<String, String> e : params.entrySet()) {
            out.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = "&";
        }
        return out.toString();
    }

    /** The URI as returned but in plaintext: {@code sslmode=disable}, no channel binding. */
    static String plaintext(String uri) {
        return withParams(uri, Map.of("sslmode", "disable", "channel_binding", "disable"));
    }

    /** The URI pointed at another port of 127.0.0.1 (say the compute's own, behind the proxy). */
    static String atPort(String uri, int port) {
        URI parsed = URI.create(uri);
        return uri.replace("@" + parsed.getHost() + ":" + parsed.getPort() + "/", "@127.0.0.1:" + port + "/");
    }

    /** Connects and runs {@code SELECT 1}. */
    static void selectOne(String uri) throws SQLException {
        try (Connection c = Pg.connect(uri, new Properties()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select 1")) {
            rs.next();
        }
    }

    /** {@link #selectOne} again and again until it works; returns the failed attempts. */
    static int selectOneRetrying(String uri, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        int failures = 0;
        while (true) {
            try {
                selectOne(uri);
                return failures;
            } catch (SQLException e) {
                failures++;
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no answer from " + uri.replaceAll(":[^:@/]*@", ":***@"), e);
                }
                sleep(1);
            }
        }
    }

    static double millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Samples per metric, in insertion order. */
    static final class Samples {
        private final Map<String, List<Double>> values = new LinkedHashMap<>();

        void add(String metric, double value) {
            values.computeIfAbsent(metric, k -> new ArrayList<>()).add(value);
        }

        double median(String metric) {
            List<Double> v = values.get(metric);
            if (v == null || v.isEmpty()) {
                return Double.NaN;
            }
            return Bench.median(v);
        }

        Map<String, List<Double>> all() {
            return values;
        }

        void print(String title) {
            System.out.println();
            System.out.println("== " + title);
            System.out.printf("%-52s %9s %9s %9s %4s%n", "metric", "median", "min", "max", "n");
            values.forEach((metric, v) -> System.out.printf(Locale.ROOT, "%-52s %9.1f %9.1f %9.1f %4d%n", metric,
                    Bench.median(v), v.stream().mapToDouble(d -> d).min().orElse(Double.NaN),
                    v.stream().mapToDouble(d -> d).max().orElse(Double.NaN), v.size()));
        }

        void printRaw(String title) {
            values.forEach((metric, v) -> System.out.println("RAW " + title + " " + metric + " "
                    + v.stream().map(d -> String.format(Locale.ROOT, "%.1f", d)).toList()));
        }
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    static void ratio(String label, double numerator, double denominator) {
        System.out.printf(Locale.ROOT, "RATIO %-70s %.2fx%n", label, numerator / denominator);
    }
}
