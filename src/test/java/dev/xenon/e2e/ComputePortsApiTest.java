package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static dev.xenon.testing.Pg.single;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Computes take no port derived from their endpoint's: whatever else runs on the machine, a compute starts where
 * there is room, serves through the proxy, and its replicas follow it across restarts.
 */
class ComputePortsApiTest {
    @Test
    void aComputeStartsAndServesWhileThePortBelowItsEndpointPortIsTaken() throws Exception {
        int first = TestServer.freeEndpointPorts(3);
        // The port the compute of the first endpoint used to take (endpoint port - 10000), held like a local
        // Postgres or a second Xenon would hold it.
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(first - 10_000));
            try (TestServer server = TestServer.start(c -> TestServer.withLocalDataPlane().apply(c)
                    .withEndpoints(c.endpoints().withPorts(first, first + 2)))) {
                JsonNode created = Projects.create(server.client());
                String uri = created.at("/connection_uris/0/connection_uri").asText();
                assertThat(URI.create(uri).getPort()).isEqualTo(first);
                try (Connection c = Pg.connect(uri); Statement s = c.createStatement()) {
                    assertThat(single(s, "select 40 + 2")).isEqualTo("42");
                }
                int computePort = server.computePort(created.at("/endpoints/0/id").asText());
                assertThat(computePort).isNotIn(first, first - 10_000);
            }
        }
    }

    @Test
    void aReplicaFollowsItsWriterAfterTheWriterRestarts() throws Exception {
        try (TestServer server = TestServer.start(TestServer.withLocalDataPlane())) {
            ApiClient api = server.client();
            JsonNode created = Projects.create(api);
            String project = created.at("/project/id").asText();
            String writer = created.at("/endpoints/0/id").asText();
            String uri = created.at("/connection_uris/0/connection_uri").asText();
            execute(uri, "create table items (id int primary key)");
            JsonNode replica = api.post("/projects/" + project + "/endpoints", Map.of("endpoint", Map.of(
                    "branch_id", created.at("/branch/id").asText(), "type", "read_only"))).expect(201).body();
            Projects.awaitOperations(api, project);
            String replicaUri = uri.replace(created.at("/endpoints/0/host").asText(),
                    replica.at("/endpoint/host").asText());
            int before = server.computePort(writer);

            api.post("/projects/" + project + "/endpoints/" + writer + "/restart", Map.of()).expect(200);
            Projects.awaitOperations(api, project);
            assertThat(server.computePort(writer)).as("the writer's new port").isNotEqualTo(before);
            execute(uri, "insert into items values (1)");

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!count(replicaUri).equals("1")) {
                assertThat(System.nanoTime()).as("the replica sees the row written after the restart")
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    private static void execute(String uri, String sql) throws SQLException {
        try (Connection c = Pg.connect(uri); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String count(String uri) throws SQLException {
        try (Connection c = Pg.connect(uri); Statement s = c.createStatement()) {
            return single(s, "select count(*) from items");
        }
    }
}
