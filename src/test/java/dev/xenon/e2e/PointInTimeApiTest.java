package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.server.HistoryConfig;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import dev.xenon.units.DataSize;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
        server = TestServer.start(c -> TestServer.withLocalDataPlane().apply(c)
                .withHistory(new HistoryConfig(Duration.ofSeconds(1), DataSize.ofMegabytes(8), 0)));
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

    @Test
    void restoreToTheParentToAnotherBranchAndToItsOwnPast() throws Exception {
        JsonNode project = Projects.create(api, Map.of("name", "restore"));
        String projectId = project.at("/project/id").asText();
        String mainId = project.at("/branch/id").asText();
        String mainUri = project.at("/connection_uris/0/connection_uri").asText();
        Projects.awaitOperations(api, projectId);
        writeRows(mainUri, 1, 2);
        JsonNode child = branch(projectId, Map.of("name", "child"), true);
        String childId = child.at("/branch/id").asText();
        String childUri = uriOf(child);
        String childEndpoint = child.at("/endpoints/0/id").asText();
        Projects.awaitOperations(api, projectId);
        writeRows(childUri, 100, 100);

        // Reset to the parent's head: same branch, endpoint and connection string; the compute restarts.
        JsonNode reset = restore(projectId, childId, Map.of("source_branch_id", mainId));
        assertThat(reset.at("/branch/id").asText()).isEqualTo(childId);
        assertThat(reset.at("/branch/last_reset_at").asText()).isNotEmpty();
        assertThat(reset.at("/branch/parent_id").asText()).isEqualTo(mainId);
        assertThat(actions(reset)).containsExactly("suspend_compute", "create_timeline", "start_compute");
        Projects.awaitOperations(api, projectId);
        assertThat(rows(childUri)).containsExactly(1, 2);
        assertThat(api.get("/projects/" + projectId + "/branches/" + childId + "/endpoints").expect(200).body()
                .at("/endpoints/0/id").asText()).isEqualTo(childEndpoint);

        // From another branch, keeping the previous state: it becomes the restored branch's parent.
        JsonNode sibling = branch(projectId, Map.of("name", "sibling"), true);
        String siblingId = sibling.at("/branch/id").asText();
        Projects.awaitOperations(api, projectId);
        writeRows(uriOf(sibling), 200, 200);
        writeRows(childUri, 101, 101);
        JsonNode fromSibling = restore(projectId, childId, Map.of("source_branch_id", siblingId,
                "preserve_under_name", "child-before"));
        Projects.awaitOperations(api, projectId);
        assertThat(rows(childUri)).containsExactly(1, 2, 200);
        JsonNode backup = branchNamed(projectId, "child-before");
        assertThat(fromSibling.at("/branch/parent_id").asText()).isEqualTo(backup.get("id").asText());
        assertThat(backup.get("parent_id").asText()).isEqualTo(mainId);
        assertThat(backup.get("current_state").asText()).isEqualTo("ready");
        assertThat(rows(uriOf(projectId, backup.get("id").asText()))).containsExactly(1, 2, 101);

        // Its own past: the state before the restore moves to a new branch, with the children.
        List<Commit> later = writeRows(mainUri, 3, 4);
        assertThat(api.post("/projects/" + projectId + "/branches/" + mainId + "/restore", Map.of(
                "source_branch_id", mainId, "source_timestamp", later.get(0).at().toString())).expect(400)
                .body().get("message").asText()).contains("preserve_under_name");
        JsonNode past = restore(projectId, mainId, Map.of("source_branch_id", mainId,
                "source_timestamp", later.get(0).at().toString(), "preserve_under_name", "main-before"));
        Projects.awaitOperations(api, projectId);
        assertThat(rows(mainUri)).containsExactly(1, 2, 3);
        JsonNode mainBefore = branchNamed(projectId, "main-before");
        assertThat(past.at("/branch/parent_id").asText()).isEqualTo(mainBefore.get("id").asText());
        assertThat(past.at("/branch/default").asBoolean()).isTrue();
        assertThat(rows(uriOf(projectId, mainBefore.get("id").asText()))).containsExactly(1, 2, 3, 4);
        assertThat(branchNamed(projectId, "sibling").get("parent_id").asText()).isEqualTo(mainBefore.get("id").asText());
        // A branch with children keeps its state only when told where.
        assertThat(api.post("/projects/" + projectId + "/branches/" + mainBefore.get("id").asText() + "/restore",
                Map.of("source_branch_id", mainId)).expect(400).body().get("message").asText())
                .contains("child branches");
        api.delete("/projects/" + projectId).expect(200);
    }

    @Test
    void pointsOutsideTheRetainedHistoryAreRefused() {
        JsonNode project = Projects.create(api, Map.of("name", "refusals", "history_retention_seconds", 60));
        String projectId = project.at("/project/id").asText();
        String mainId = project.at("/branch/id").asText();
        Projects.awaitOperations(api, projectId);
        Map<Map<String, Object>, String> refusals = Map.of(
                Map.of("parent_timestamp", Instant.now().plusSeconds(60).toString()), "in the future",
                Map.of("parent_timestamp", Instant.now().minusSeconds(120).toString()), "retention window",
                Map.of("parent_lsn", "0/1"), "outside the retained history",
                Map.of("parent_lsn", "FF/0"), "beyond the current LSN",
                Map.of("parent_lsn", "12345"), "not an LSN");
        refusals.forEach((spec, message) -> assertThat(api.post("/projects/" + projectId + "/branches",
                Map.of("branch", spec)).expect(400).body().get("message").asText()).as("%s", spec).contains(message));
        assertThat(api.post("/projects/" + projectId + "/branches/" + mainId + "/restore", Map.of(
                "source_branch_id", mainId, "source_lsn", "FF/0", "preserve_under_name", "x")).expect(400)
                .body().get("message").asText()).contains("beyond the current LSN");
        assertThat(api.post("/projects/" + projectId + "/branches/" + mainId + "/restore", Map.of(
                "source_branch_id", mainId, "preserve_under_name", "x")).expect(400)
                .body().get("message").asText()).contains("source_timestamp");
        api.delete("/projects/" + projectId).expect(200);
    }

    @Test
    void historyOlderThanTheRetentionWindowIsRemoved() throws Exception {
        JsonNode project = Projects.create(api, Map.of("name", "retention", "history_retention_seconds", 3));
        String projectId = project.at("/project/id").asText();
        String mainId = project.at("/branch/id").asText();
        String uri = project.at("/connection_uris/0/connection_uri").asText();
        Projects.awaitOperations(api, projectId);
        Path history = server.dataDir().resolve("timelines").resolve(projectId).resolve(mainId).resolve("history");
        Set<String> firstBases = names(history.resolve("bases"));
        assertThat(firstBases).hasSize(1);

        long largest = 0;
        Set<String> earlier = Set.of();
        for (int round = 1; round <= 2; round++) {
            // More WAL than the test server's base copy threshold (8 MB): a new base copy follows.
            try (Connection c = connect(uri); Statement s = c.createStatement()) {
                s.execute("create table if not exists filler (id int, pad text)");
                s.execute("insert into filler select g, repeat('x', 900) from generate_series(1, 12000) g");
            }
            Set<String> archived = names(history.resolve("wal"));
            awaitTrue(Duration.ofSeconds(60), () -> {
                Set<String> bases = names(history.resolve("bases"));
                return !bases.containsAll(firstBases) && bases.size() == 1;
            });
            Set<String> segments = names(history.resolve("wal"));
            // What the window no longer needs is gone: the older base copies and the WAL before the one left.
            Set<String> before = earlier;
            assertThat(segments).noneMatch(before::contains);
            largest = Math.max(largest, size(history));
            firstBases.clear();
            firstBases.addAll(names(history.resolve("bases")));
            earlier = archived.stream().filter(n -> n.matches("[0-9A-F]{24}")).collect(Collectors.toSet());
        }
        assertThat(largest).as("history bytes").isLessThan(200L << 20);
        assertThat(api.post("/projects/" + projectId + "/branches", Map.of("branch", Map.of("parent_timestamp",
                Instant.now().minusSeconds(10).toString()))).expect(400).body().get("message").asText())
                .contains("retention");
        // A moment still in the window is served from what is left.
        Thread.sleep(200);
        Instant recent = Instant.now().minusMillis(100);
        JsonNode branch = branch(projectId, Map.of("parent_timestamp", recent.toString()), true);
        Projects.awaitOperations(api, projectId);
        try (Connection c = connect(uriOf(branch)); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select count(*) from filler")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(24000);
        }
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

    static JsonNode restore(String projectId, String branchId, Map<String, Object> request) {
        return api.post("/projects/" + projectId + "/branches/" + branchId + "/restore", request).expect(200).body();
    }

    static List<String> actions(JsonNode response) {
        List<String> actions = new ArrayList<>();
        response.get("operations").forEach(op -> actions.add(op.get("action").asText()));
        return actions;
    }

    static JsonNode branchNamed(String projectId, String name) {
        for (JsonNode b : api.get("/projects/" + projectId + "/branches").expect(200).body().get("branches")) {
            if (b.get("name").asText().equals(name)) {
                return b;
            }
        }
        throw new AssertionError("no branch named " + name);
    }

    /** A connection string to a branch without an endpoint: one is added for the test. */
    static String uriOf(String projectId, String branchId) {
        api.post("/projects/" + projectId + "/endpoints", Map.of("endpoint", Map.of("branch_id", branchId,
                "type", "read_write"))).expect(201);
        Projects.awaitOperations(api, projectId);
        return api.get("/projects/" + projectId + "/connection_uri?branch_id=" + branchId
                + "&database_name=neondb&role_name=neondb_owner").expect(200).body().get("uri").asText();
    }

    static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Bytes under {@code dir}; files the sweeper removes meanwhile are skipped. */
    static long size(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                total[0] += a.size();
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("waiting for the history sweeper").isLessThan(deadline);
            Thread.sleep(100);
        }
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
