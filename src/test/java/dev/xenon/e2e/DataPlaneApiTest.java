package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.server.DataPlaneConfig;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.xenon.testing.Pg.connect;
import static dev.xenon.testing.Pg.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Through the HTTP API to real Postgres: the connection URI the API returns works as-is (TLS required, SCRAM
 * with channel binding), and a branch created while the parent runs has the parent's data.
 */
class DataPlaneApiTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        // A port range of our own, so computes of tests running elsewhere on this machine do not collide.
        int first = TestServer.freeEndpointPorts(51);
        server = TestServer.start(c -> c.withDataPlane(c.dataPlane().withKind(DataPlaneConfig.Kind.LOCAL))
                .withEndpoints(c.endpoints().withPorts(first, first + 50)));
        api = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void connectionUriWorksAndBranchesSeeTheirParentsData() throws Exception {
        long started = System.nanoTime();
        JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "e2e", "pg_version", 17)))
                .expect(201).body();
        String projectId = created.at("/project/id").asText();
        awaitOperations(projectId);
        System.out.printf("project create -> endpoint active: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        String uri = created.at("/connection_uris/0/connection_uri").asText();
        assertThat(uri).startsWith("postgresql://").contains("sslmode=require&channel_binding=require");

        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            s.execute("create table notes (id int primary key, body text)");
            s.execute("insert into notes values (1, 'from main')");
            // TLS ends at the proxy (sslmode=require would fail without it); the proxy reaches the compute over loopback.
            assertThat(single(s, "select current_user")).isEqualTo("neondb_owner");
        }
        String endpointId = created.at("/endpoints/0/id").asText();
        assertThat(api.get("/projects/" + projectId + "/endpoints/" + endpointId).expect(200)
                .body().at("/endpoint/current_state").asText()).isEqualTo("active");

        started = System.nanoTime();
        JsonNode branch = api.post("/projects/" + projectId + "/branches",
                Map.of("endpoints", List.of(Map.of("type", "read_write")))).expect(201).body();
        awaitOperations(projectId);
        System.out.printf("branch create (with endpoint) -> active: %d ms%n", (System.nanoTime() - started) / 1_000_000);
        String branchId = branch.at("/branch/id").asText();
        String childUri = branch.at("/connection_uris/0/connection_uri").asText();
        try (Connection c = connect(childUri); Statement s = c.createStatement()) {
            assertThat(single(s, "select body from notes where id = 1")).isEqualTo("from main");
            s.execute("insert into notes values (2, 'from the branch')");
        }
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            assertThat(single(s, "select count(*)::text from notes")).isEqualTo("1");
        }
        JsonNode shown = api.get("/projects/" + projectId + "/branches/" + branchId).expect(200).body();
        assertThat(shown.at("/branch/parent_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(shown.at("/branch/logical_size").asLong()).isPositive();

        api.delete("/projects/" + projectId).expect(200);
        // The project's operations are no longer listed once it is deleted: watch its files go instead.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(server.dataDir().resolve("timelines").resolve(projectId))) {
            assertThat(System.nanoTime()).as("the project's files are removed").isLessThan(deadline);
            Thread.sleep(25);
        }
        assertThatThrownBy(() -> connect(uri)).isInstanceOf(SQLException.class);
    }

    @Test
    void restartStopsComputesAndBringsBackTheActiveOnes() throws Exception {
        JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "restart"))).expect(201).body();
        String projectId = created.at("/project/id").asText();
        String branchId = created.at("/branch/id").asText();
        awaitOperations(projectId);
        String uri = created.at("/connection_uris/0/connection_uri").asText();
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('survives a restart')");
        }
        long pid = postmasterPid(projectId, branchId);

        server.restart();
        api = server.client();

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the old compute stopped with the server").isFalse();
        awaitOperations(projectId);
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            assertThat(single(s, "select v from kept")).isEqualTo("survives a restart");
        }
        assertThat(postmasterPid(projectId, branchId)).isNotEqualTo(pid);
        api.delete("/projects/" + projectId).expect(200);
    }

    @Test
    void computeThatDiesOnItsOwnLeavesItsEndpointIdle() throws Exception {
        JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "crash"))).expect(201).body();
        String projectId = created.at("/project/id").asText();
        String endpointId = created.at("/endpoints/0/id").asText();
        awaitOperations(projectId);

        new ProcessBuilder("kill", "-9", Long.toString(postmasterPid(projectId, created.at("/branch/id").asText())))
                .start().waitFor();

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!api.get("/projects/" + projectId + "/endpoints/" + endpointId).expect(200).body()
                .at("/endpoint/current_state").asText().equals("idle")) {
            assertThat(System.nanoTime()).as("the endpoint becomes idle").isLessThan(deadline);
            Thread.sleep(25);
        }
        api.delete("/projects/" + projectId).expect(200);
    }

    private static long postmasterPid(String projectId, String branchId) throws java.io.IOException {
        return Long.parseLong(Files.readAllLines(server.dataDir().resolve("timelines").resolve(projectId)
                .resolve(branchId).resolve("pgdata").resolve("postmaster.pid")).getFirst().strip());
    }

    /** Waits until every operation of the project has finished; fails on one that failed. */
    @Test
    void aBranchTakenWhileTheParentIsWritingIsConsistent() throws Exception {
        JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "busy"))).expect(201).body();
        String projectId = created.at("/project/id").asText();
        String uri = created.at("/connection_uris/0/connection_uri").asText();
        awaitOperations(projectId);
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            s.execute("create table ledger (seq int primary key, amount int not null)");
            s.execute("create table accounts (id int primary key, balance int not null)");
            s.execute("insert into accounts values (1, 1000), (2, 1000)");
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger committed = new AtomicInteger();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (Connection c = connect(uri); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (int seq = 1; writing.get(); seq++) {
                    // Each transaction moves one unit and logs it: a consistent copy has equal totals and no gaps.
                    s.execute("update accounts set balance = balance - 1 where id = 1");
                    s.execute("update accounts set balance = balance + 1 where id = 2");
                    s.execute("insert into ledger values (" + seq + ", 1)");
                    c.commit();
                    committed.set(seq);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        while (committed.get() < 50) {
            Thread.sleep(10);
        }
        JsonNode branch = api.post("/projects/" + projectId + "/branches",
                Map.of("endpoints", List.of(Map.of("type", "read_write")))).expect(201).body();
        awaitOperations(projectId);
        writing.set(false);
        writer.join();
        try (Connection c = connect(branch.at("/connection_uris/0/connection_uri").asText());
             Statement s = c.createStatement()) {
            int rows = Integer.parseInt(single(s, "select count(*) from ledger"));
            assertThat(rows).isGreaterThanOrEqualTo(50);
            assertThat(single(s, "select max(seq) from ledger")).isEqualTo(Integer.toString(rows));
            assertThat(single(s, "select sum(balance) from accounts")).isEqualTo("2000");
            assertThat(single(s, "select balance from accounts where id = 2")).isEqualTo(Integer.toString(1000 + rows));
        }
        assertThat(committed.get()).as("the parent kept writing while it was branched").isGreaterThan(50);
    }

    @Test
    void everySupportedPostgresVersionAnswersWithItsOwnMajor() throws Exception {
        for (int major = 14; major <= 18; major++) {
            JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "pg" + major,
                    "pg_version", major))).expect(201).body();
            String projectId = created.at("/project/id").asText();
            awaitOperations(projectId);
            try (Connection c = connect(created.at("/connection_uris/0/connection_uri").asText());
                 Statement s = c.createStatement()) {
                assertThat(single(s, "show server_version")).startsWith(major + ".");
                s.execute("create table t (v int)");
            }
            api.delete("/projects/" + projectId).expect(200);
        }
    }

    private static void awaitOperations(String projectId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            JsonNode ops = api.get("/projects/" + projectId + "/operations").expect(200).body().get("operations");
            List<String> open = new ArrayList<>();
            for (JsonNode op : ops) {
                String status = op.get("status").asText();
                assertThat(status).as("operation %s: %s", op.get("action").asText(), op.path("error").asText())
                        .isNotEqualTo("failed");
                if (!status.equals("finished")) {
                    open.add(op.get("action").asText() + ":" + status + ":" + op.path("error").asText());
                }
            }
            if (open.isEmpty()) {
                return;
            }
            assertThat(System.nanoTime()).as("operations still open: %s", open).isLessThan(deadline);
            Thread.sleep(25);
        }
    }

    /** A JDBC connection from a postgresql:// URI as the API returns it, its TLS options carried over. */

}
