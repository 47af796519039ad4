package dev.xenon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.testing.NodeScript;
import dev.xenon.testing.TestServer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A one-row SELECT through the proxy over WebSocket (the serverless driver, local-mode neonConfig) and over TCP with
 * TLS (node-postgres), both from Node on the same machine against the same compute: medians of warm round trips on
 * one connection, and of a new connection plus its first query. Run with bench/ws-vs-tcp.sh.
 *
 * <p>Arguments: rounds, warm queries per round and kind, new connections per round and kind.
 */
public final class WebSocketLatencyBenchmark {
    public static void main(String[] args) throws Exception {
        String rounds = args.length > 0 ? args[0] : "5";
        String queries = args.length > 1 ? args[1] : "1000";
        String connects = args.length > 2 ? args[2] : "50";
        try (TestServer server = TestServer.start(TestServer.withLocalDataPlane())) {
            Bench.Api api = new Bench.Api(server);
            JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "ws-bench", "pg_version",
                    PgTestSupport.MAJOR, "default_endpoint_settings", Map.of("suspend_timeout_seconds", -1))));
            String uri = created.at("/connection_uris/0/connection_uri").asText();
            Bench.selectOneRetrying(uri, 120_000);
            api.awaitOperations(created.at("/project/id").asText());

            NodeScript.Run run = NodeScript.run("bench-ws-vs-tcp.mjs",
                    List.of(uri, "127.0.0.1:" + server.httpPort(), rounds, queries, connects),
                    Map.of("NODE_EXTRA_CA_CERTS", server.dataDir().resolve("ca.crt").toString()));
            if (run.exitCode() != 0) {
                throw new IllegalStateException("the benchmark script failed: " + run.errors());
            }
            JsonNode samples = new ObjectMapper().readTree(run.output());
            System.out.printf(Locale.ROOT, "%-22s %-22s %-22s%n", "", "warm query median (us)",
                    "connect + query median (ms)");
            for (String kind : List.of("tcp", "websocket", "websocket-uncoalesced")) {
                System.out.printf(Locale.ROOT, "%-22s %-22.0f %-22.2f%n", kind,
                        median(samples.at("/" + kind + "/query")),
                        median(samples.at("/" + kind + "/connect")) / 1000);
            }
        }
    }

    private static double median(JsonNode values) {
        List<Double> sorted = new ArrayList<>();
        values.forEach(v -> sorted.add(v.asDouble()));
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
