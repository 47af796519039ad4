package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.server.ServerConfig;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.xenon.testing.Pg.connect;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Point-in-time branching through the API on real Postgres: rows are written with their commit LSNs and times
 * recorded, and a branch at a point between them holds exactly the rows committed before it, whether the parent
 * runs or is suspended, and through the parent's history when the point is older than the branch.
 */
class PointInTimeApiTest {
    private static TestServer server;
    private static ApiClient api;

    /** A row's commit: pg_current_wal_lsn() and now() read right after it. */
    record Commit(int row, String lsn, Instant at) {}

    @BeforeAll
    static void start() {
        server = TestServer.start(c -> TestServer.withLocalDataPlane().apply(c).toBuilder()
                .history(new ServerConfig.History(Duration.ofSeconds(1), 8L << 20, 0)).build());
        api = server.client();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aBranchAtAnLsnOrAMomentHoldsExactlyTheRowsCommittedBefore() throws Exception {
        JsonNode project = Projects.create(api, Map.of("name", "pitr"));
        String projectId = project.at("/project/id").asText();
        String mainId = project.at("/branch/id").asText();
        String uri = project.at("/connection_uris/0/connection_uri").asText();
        Projects.awaitOperations(api, projectId);
        List<Commit> commits = writeRows(uri, 1, 4);

        // The parent runs: its archive is flushed before the replay.
        JsonNode atLsn = branch(projectId, Map.of("parent_lsn", commits.get(1).lsn()), true);
        assertThat(atLsn.at("/branch/parent_lsn").asText()).isEqualTo(commits.get(1).lsn());
        JsonNode atTime = branch(projectId, Map.of("parent_timestamp", commits.get(2).at().toString()), true);
        Projects.awaitOperations(api, projectId);
        assertThat(rows(uriOf(atLsn))).containsExactly(1, 2);
        assertThat(rows(uriOf(atTime))).containsExactly(1, 2, 3);
        JsonNode shown = api.get("/projects/" + projectId + "/branches/" + atTime.at("/branch/id").asText())
                .expect(200).body().get("branch");
        assertThat(Instant.parse(shown.get("parent_timestamp").asText()))
                .isEqualTo(commits.get(2).at().truncatedTo(ChronoUnit.SECONDS));
        assertThat(shown.get("parent_lsn").asText()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(shown.get("parent_id").asText()).isEqualTo(mainId);

        // The parent is suspended: what it wrote last was never archived (a partial segment) and is read from it.
        suspendAll(projectId, mainId);
        JsonNode stopped = branch(projectId, Map.of("parent_timestamp", commits.get(0).at().toString()), true);
        JsonNode stoppedLsn = branch(projectId, Map.of("parent_lsn", commits.get(3).lsn()), true);
        Projects.awaitOperations(api, projectId);
        assertThat(rows(uriOf(stopped))).containsExactly(1);
        assertThat(rows(uriOf(stoppedLsn))).containsExactly(1, 2, 3, 4);

        // A point before a child's branch point is in its parent's history: a grandchild taken there sees it.
        String childId = atTime.at("/branch/id").asText();
        JsonNode grandchild = api.post("/projects/" + projectId + "/branches", Map.of(
                "branch", Map.of("parent_id", childId, "parent_timestamp", commits.get(0).at().toString()),
                "endpoints", List.of(Map.of("type", "read_write")))).expect(201).body();
        Projects.awaitOperations(api, projectId);
        assertThat(grandchild.at("/branch/parent_id").asText()).isEqualTo(childId);
        assertThat(rows(uriOf(grandchild))).containsExactly(1);
        api.delete("/projects/" + projectId).expect(200);
    }

    // ---------------------------------------------------------------- helpers

    /** Inserts rows {@code first..last}, one transaction each, a little apart, recording each commit's LSN and time. */
    static List<Commit> writeRows(String uri, int first, int last) throws SQLException, InterruptedException {
        List<Commit> commits = new ArrayList<>();
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            s.execute("create table if not exists t (id int primary key)");
            for (int row = first; row <= last; row++) {
                Thread.sleep(50);
                s.execute("insert into t values (" + row + ")");
                try (ResultSet rs = s.executeQuery("select pg_current_wal_lsn()::text, now()")) {
                    rs.next();
                    commits.add(new Commit(row, rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
                Thread.sleep(50);
            }
        }
        return commits;
    }

    static List<Integer> rows(String uri) throws SQLException {
        List<Integer> rows = new ArrayList<>();
        try (Connection c = connect(uri); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from t order by id")) {
            while (rs.next()) {
                rows.add(rs.getInt(1));
            }
        }
        return rows;
    }

    static JsonNode branch(String projectId, Map<String, Object> spec, boolean withEndpoint) {
        Map<String, Object> body = new HashMap<>(Map.of("branch", spec));
        if (withEndpoint) {
            body.put("endpoints", List.of(Map.of("type", "read_write")));
        }
        return api.post("/projects/" + projectId + "/branches", body).expect(201).body();
    }

    static String uriOf(JsonNode created) {
        return created.at("/connection_uris/0/connection_uri").asText();
    }

    static void suspendAll(String projectId, String branchId) {
        for (JsonNode endpoint : api.get("/projects/" + projectId + "/branches/" + branchId + "/endpoints")
                .expect(200).body().get("endpoints")) {
            api.post("/projects/" + projectId + "/endpoints/" + endpoint.get("id").asText() + "/suspend", null)
                    .expect(200);
        }
        Projects.awaitOperations(api, projectId);
    }
}
