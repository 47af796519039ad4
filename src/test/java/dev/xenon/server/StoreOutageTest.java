package dev.xenon.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.store.EmbeddedMetaStore;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The metadata store going away: restarted when it is ours, and answered for fast and plainly meanwhile. */
class StoreOutageTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static HttpResponse<String> probe(TestServer server, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    @Test
    void whileTheStoreIsDownTheApiAnswers503AndTheProxy57P03AtOnce() throws Exception {
        EmbeddedMetaStore external = EmbeddedMetaStore.start(PgTestSupport.traversable(dir).resolve("ext"),
                PgTestSupport.dist(), PgTestSupport.user());
        String url = "postgresql://" + external.user() + ":"
                + URLEncoder.encode(external.password(), StandardCharsets.UTF_8) + "@127.0.0.1:" + external.port()
                + "/" + EmbeddedMetaStore.DATABASE;
        int ports = TestServer.freeEndpointPorts(10);
        try (TestServer server = TestServer.start(c -> c.withStore(c.store().withDatabaseUrl(url))
                .withEndpoints(c.endpoints().withPorts(ports, ports + 9)))) {
            ApiClient api = server.client();
            JsonNode project = Projects.create(api);
            String projectId = project.get("project").get("id").asText();
            Projects.awaitOperations(api, projectId);
            String uri = project.get("connection_uris").get(0).get("connection_uri").asText();
            assertThat(probe(server, "/readyz").statusCode()).isEqualTo(200);

            external.close();

            long started = System.nanoTime();
            ApiClient.Response down = api.get("/projects/" + projectId);
            long apiMillis = millisSince(started);
            assertThat(down.status()).isEqualTo(503);
            assertThat(down.body().get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(down.body().get("message").asText()).contains("metadata store");
            assertThat(down.body().get("request_id").asText()).isNotBlank();
            assertThat(apiMillis).isLessThan(2_500);

            started = System.nanoTime();
            SQLException refused = catchThrowableOfType(SQLException.class, () -> Pg.connect(uri).close());
            long proxyMillis = millisSince(started);
            assertThat((Throwable) refused).isNotNull();
            assertThat(refused.getSQLState()).isEqualTo("57P03");
            assertThat(proxyMillis).isLessThan(2_500);

            assertThat(probe(server, "/healthz").statusCode()).as("liveness").isEqualTo(200);
            started = System.nanoTime();
            HttpResponse<String> ready = probe(server, "/readyz");
            long readyMillis = millisSince(started);
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode checks = JSON.readTree(ready.body()).get("checks");
            assertThat(checks.get("metadata_store").asText()).isNotEqualTo("ok");
            assertThat(checks.get("proxy").asText()).isEqualTo("ok");
            assertThat(checks.get("operation_workers").asText()).isEqualTo("ok");
            System.out.printf("timing: store down: API 503 in %d ms, proxy 57P03 in %d ms, /readyz 503 in %d ms%n",
                    apiMillis, proxyMillis, readyMillis);
        } finally {
            external.close();
        }
    }

    @Test
    void theEmbeddedStoreIsRestartedAfterItsPostmasterIsKilled() throws Exception {
        try (TestServer server = TestServer.start()) {
            ApiClient api = server.client();
            String projectId = Projects.create(api, Map.of("name", "survives")).get("project").get("id").asText();
            Path metaData = server.dataDir().resolve("meta/data");
            long killed = PgTestSupport.postmasterPid(metaData).orElseThrow();

            long started = System.nanoTime();
            ProcessHandle postmaster = ProcessHandle.of(killed).orElseThrow();
            assertThat(postmaster.destroyForcibly()).isTrue();
            // SIGKILL is delivered asynchronously: until the postmaster is gone, /readyz may rightly still say 200.
            postmaster.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            long readyMillis = -1;
            while (millisSince(started) < 30_000) {
                long asked = System.nanoTime();
                HttpResponse<String> ready = probe(server, "/readyz");
                assertThat(millisSince(asked)).as("/readyz answers fast").isLessThan(2_500);
                boolean restarted = PgTestSupport.postmasterPid(metaData).filter(pid -> pid != killed)
                        .filter(PgTestSupport::processAlive).isPresent();
                if (ready.statusCode() == 200 && restarted) {
                    readyMillis = millisSince(started);
                    break;
                }
                assertThat(ready.statusCode()).isIn(200, 503);
                Thread.sleep(20);
            }
            assertThat(readyMillis).as("ready again within 30 s").isPositive();
            long restarted = PgTestSupport.postmasterPid(metaData).orElseThrow();
            assertThat(restarted).isNotEqualTo(killed);
            assertThat(PgTestSupport.processAlive(restarted)).isTrue();
            System.out.printf("timing: metadata store killed to /readyz 200 again: %d ms%n", readyMillis);

            // Pooled connections to the dead postmaster are replaced, not handed out.
            for (int i = 0; i < 20; i++) {
                assertThat(api.get("/projects/" + projectId).expect(200).body().get("project").get("name").asText())
                        .isEqualTo("survives");
            }
            Projects.create(api, Map.of("name", "after"));
        }
    }
}
