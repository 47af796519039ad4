package dev.xenon.bench;

import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Map;

/**
 * Cost of API reads on a warm server: client round trip and the server's own time (Server-Timing header).
 * Run with bench/api-read.sh; not part of the test suite.
 */
public final class ApiReadBenchmark {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        try (TestServer server = TestServer.start()) {
            ApiClient api = server.client();
            String project = Projects.create(api, Map.of("name", "bench")).get("project").get("id").asText();
            Projects.awaitOperations(api, project);
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/projects/" + project, "/projects?limit=10",
                    "/projects/" + project + "/branches", "/projects/" + project + "/endpoints"}) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v2" + path))
                        .header("Authorization", "Bearer " + TestServer.API_KEY).build();
                for (int i = 0; i < 500; i++) {
                    http.send(request, HttpResponse.BodyHandlers.ofString());
                }
                double[] client = new double[rounds];
                double[] serverMs = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    long start = System.nanoTime();
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    client[i] = (System.nanoTime() - start) / 1e6;
                    serverMs[i] = Double.parseDouble(response.headers().firstValue("Server-Timing").orElseThrow()
                            .replaceAll(".*dur=", ""));
                }
                System.out.printf("GET %-40s client median %.3f ms p99 %.3f ms | server median %.3f ms p99 %.3f ms%n",
                        path.replace(project, "{id}"), pct(client, 50), pct(client, 99), pct(serverMs, 50),
                        pct(serverMs, 99));
            }
        }
    }

    private static double pct(double[] values, int percentile) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }
}
