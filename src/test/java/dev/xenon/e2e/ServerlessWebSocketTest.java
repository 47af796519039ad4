package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.NodeScript;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@code @neondatabase/serverless} driver ({@code Pool} and {@code Client} over WebSocket) against the
 * proxy's HTTPS port, with the driver's defaults (the pipelined start-up: StartupMessage and cleartext password sent
 * without waiting) and the local-mode {@code neonConfig} of the README, trusting the local CA through
 * {@code NODE_EXTRA_CA_CERTS} as the README says. The connection URI is the one the API returns.
 *
 * <p>Needs {@code node} and {@code npm ci} in {@code e2e/} (the driver and ws are pinned there).
 */
class ServerlessWebSocketTest {
    private static TestServer server;
    private static ApiClient api;
    private static String uri;
    private static String projectId;
    private static String endpointId;

    @BeforeAll
    static void start() {
        assertThat(NodeScript.E2E_DIR.resolve("node_modules/@neondatabase/serverless/package.json"))
                .as("the serverless driver is not installed: run `npm ci` in %s", NodeScript.E2E_DIR).isRegularFile();
        server = TestServer.start(TestServer.withLocalDataPlane());
        api = server.client();
        JsonNode created = Projects.create(api, Map.of("name", "serverless-ws"));
        projectId = created.at("/project/id").asText();
        endpointId = created.at("/endpoints/0/id").asText();
        Projects.awaitOperations(api, projectId);
        uri = created.at("/connection_uris/0/connection_uri").asText();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aPoolQueryGoesOverTheWebSocketWithThePipelinedStartUp() throws Exception {
        NodeScript.Run run = driver("pool", uri);
        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).isEqualTo("[{\"who\":\"neondb_owner\",\"two\":2}]");
    }

    @Test
    void aTransactionCommitsAndARollbackLeavesNothing() throws Exception {
        NodeScript.Run run = driver("transaction", uri);
        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).isEqualTo("[{\"id\":1,\"label\":\"kept\"}]");
    }

    @Test
    void aClientReceivesANotification() throws Exception {
        NodeScript.Run run = driver("listen", uri);
        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).isEqualTo("{\"channel\":\"ws_channel\",\"payload\":\"hello over websocket\"}");
    }

    @Test
    void aWrongPasswordIsRefused() throws Exception {
        URI parsed = URI.create(uri);
        String user = parsed.getRawUserInfo().substring(0, parsed.getRawUserInfo().indexOf(':'));
        String wrong = uri.replace(parsed.getRawUserInfo(), user + ":not-the-password");
        NodeScript.Run run = driver("pool", wrong);
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errors()).isEqualTo("28P01: password authentication failed for user \"neondb_owner\"");
    }

    @Test
    void aQueryWakesASuspendedEndpoint() throws Exception {
        String endpointPath = "/projects/" + projectId + "/endpoints/" + endpointId;
        api.post(endpointPath + "/suspend", Map.of()).expect(200);
        awaitState(endpointPath, "idle");

        NodeScript.Run run = driver("pool", uri, "select 'awake' as state");
        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).isEqualTo("[{\"state\":\"awake\"}]");
        assertThat(api.get(endpointPath).body().at("/endpoint/current_state").asText()).isEqualTo("active");
    }

    private static void awaitState(String endpointPath, String state) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!api.get(endpointPath).body().at("/endpoint/current_state").asText().equals(state)) {
            assertThat(Instant.now()).as("the endpoint reaches %s", state).isBefore(deadline);
            Thread.sleep(200);
        }
    }

    private static NodeScript.Run driver(String scenario, String connectionUri, String... sql) throws Exception {
        List<String> args = new ArrayList<>(List.of(connectionUri, "127.0.0.1:" + server.httpPort(), scenario));
        args.addAll(List.of(sql));
        return NodeScript.run("serverless-ws.mjs", args,
                Map.of("NODE_EXTRA_CA_CERTS", server.dataDir().resolve("ca.crt").toString()));
    }
}
