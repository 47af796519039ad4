package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.MetaStore;
import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A request the data plane refuses fails alone, with its reason, and does not hold up the branch. */
class FailureIsolationApiTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.withLocalDataPlane());
        api = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aRolePostgresRefusesFailsItsOperationWithTheReasonAndLaterOperationsRun() throws Exception {
        JsonNode project = Projects.create(api);
        String projectId = project.get("project").get("id").asText();
        String branchId = project.get("branch").get("id").asText();
        Projects.awaitOperations(api, projectId);
        String roles = "/projects/" + projectId + "/branches/" + branchId + "/roles";
        // As if it had slipped past the API's validation: Postgres reserves this name (SQLSTATE 42939).
        try (Connection meta = MetaStore.connect(server.dataDir());
             PreparedStatement insert = meta.prepareStatement("insert into roles (branch_id, name, password, "
                     + "scram_verifier, protected, no_login, created_at, updated_at) "
                     + "values (?, 'public', null, null, false, true, now(), now())")) {
            insert.setString(1, branchId);
            insert.executeUpdate();
        }

        long started = System.nanoTime();
        String refusedOp = api.post(roles, Map.of("role", Map.of("name", "alice"))).expect(201).body()
                .get("operations").get(0).get("id").asText();
        JsonNode bob = api.post(roles, Map.of("role", Map.of("name", "bob"))).expect(201).body();
        List<String> later = new ArrayList<>();
        bob.get("operations").forEach(op -> later.add(op.get("id").asText()));
        for (String id : later) {
            assertThat(await(projectId, id, Duration.ofSeconds(30)).get("status").asText()).isEqualTo("finished");
        }
        System.out.printf("timing: refused role to the next operation on the branch finished %d ms%n",
                (System.nanoTime() - started) / 1_000_000);

        JsonNode failed = await(projectId, refusedOp, Duration.ofSeconds(5));
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("failures_count").asInt()).isEqualTo(1);
        assertThat(failed.get("error").asText()).contains("role 'public' was refused by Postgres")
                .contains("reserved");
        List<String> names = new ArrayList<>();
        api.get(roles).expect(200).body().get("roles").forEach(r -> names.add(r.get("name").asText()));
        assertThat(names).contains("alice", "bob").doesNotContain("public");

        String uri = api.get("/projects/" + projectId + "/connection_uri?database_name=neondb&role_name=bob")
                .expect(200).body().get("uri").asText();
        try (Connection c = Pg.connect(uri); Statement s = c.createStatement()) {
            assertThat(Pg.single(s, "select count(*) from pg_roles where rolname in ('alice', 'bob')"))
                    .isEqualTo("2");
        }
    }

    private static JsonNode await(String projectId, String operationId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode op = api.get("/projects/" + projectId + "/operations/" + operationId).expect(200).body()
                    .get("operation");
            String status = op.get("status").asText();
            if (status.equals("finished") || status.equals("failed")) {
                return op;
            }
            assertThat(Instant.now()).as("operation %s still %s: %s", operationId, status, op).isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
