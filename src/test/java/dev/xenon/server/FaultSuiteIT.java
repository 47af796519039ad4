package dev.xenon.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Pg;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults an operator meets, against the packaged server: SIGKILL at random points of a
 * create/branch/start/suspend/delete churn, a killed compute, a killed metadata store, a second server on the
 * same data directory. After each: every operation finished or failed with a reason, no Postgres process or
 * data directory leaked, every committed row present.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultSuiteIT {
    private static final int KILL_ROUNDS = 8;
    private static final Duration SETTLE = Duration.ofSeconds(120);

    @TempDir
    static Path dir;
    static Path dataDir;
    static ServerProcess server;
    static String projectId;
    static String mainBranchId;
    /** One range for every start: endpoints keep their ports across restarts. */
    static String[] args;
    static final Set<Integer> committed = ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void startAndMakeAProject() throws Exception {
        dataDir = PgTestSupport.traversable(dir).resolve("data");
        int first = TestServer.freeEndpointPorts(100);
        args = new String[] {"--endpoint-ports", first + "-" + (first + 99)};
        server = ServerProcess.start(dataDir, args);
        JsonNode created = server.client().post("/projects", Map.of("project", Map.of("name", "faults")))
                .expect(201).body();
        projectId = created.get("project").get("id").asText();
        mainBranchId = created.get("branch").get("id").asText();
        settle(server.client());
        try (Connection c = Pg.connect(mainUri(server.client())); Statement s = c.createStatement()) {
            s.execute("create table t (id int primary key)");
        }
    }

    @AfterAll
    static void stopAndLeaveNothingRunning() throws Exception {
        if (server != null) {
            server.close();
        }
        waitUntil(() -> ServerProcess.processesUnder(dataDir).isEmpty(), Duration.ofSeconds(30),
                () -> "processes left under " + dataDir + ": " + describe(ServerProcess.processesUnder(dataDir)));
    }

    @Test
    @Order(1)
    void hardKillsDuringChurnLoseNothing() throws Exception {
        Random random = new Random();
        for (int round = 0; round < KILL_ROUNDS; round++) {
            AtomicBoolean running = new AtomicBoolean(true);
            Thread churn = Thread.ofPlatform().name("churn-" + round).start(() -> churn(server.client(), random, running));
            Thread.sleep(500 + random.nextInt(3_000));
            server.kill();
            running.set(false);
            churn.join(60_000);

            server = ServerProcess.start(dataDir, args);
            checkInvariants(server.client());
        }
        assertThat(committed).as("the churn committed rows to check").isNotEmpty();
    }

    @Test
    @Order(2)
    void aKilledComputeServesAgain() throws Exception {
        ApiClient api = server.client();
        String uri = mainUri(api);
        try (Connection c = Pg.connect(uri); Statement s = c.createStatement()) {
            s.execute("select 1");
        }
        Path pgdata = dataDir.resolve("timelines").resolve(projectId).resolve(mainBranchId).resolve("pgdata");
        long pid = PgTestSupport.postmasterPid(pgdata).orElseThrow();
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        waitUntil(() -> !PgTestSupport.processAlive(pid), Duration.ofSeconds(10), () -> "compute " + pid + " still alive");

        waitUntil(() -> rowsPresent(uri), Duration.ofSeconds(90), () -> "main did not serve its rows again");
        checkInvariants(api);
    }

    @Test
    @Order(3)
    void aKilledMetadataStoreIsRestarted() throws Exception {
        ApiClient api = server.client();
        long pid = PgTestSupport.postmasterPid(dataDir.resolve("meta/data")).orElseThrow();
        ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
        postmaster.destroyForcibly();
        postmaster.onExit().get(10, TimeUnit.SECONDS);
        waitUntil(() -> PgTestSupport.postmasterPid(dataDir.resolve("meta/data")).filter(p -> p != pid)
                        .filter(PgTestSupport::processAlive).isPresent()
                        && api.get("/projects/" + projectId).status() == 200, Duration.ofSeconds(60),
                () -> "the metadata store was not restarted, or the API did not come back");
        checkInvariants(api);
    }

    @Test
    @Order(4)
    void aSecondServerOnTheSameDataDirectoryIsRefusedAndTouchesNothing() throws Exception {
        List<Long> before = ServerProcess.processesUnder(dataDir).stream().map(ProcessHandle::pid).sorted().toList();
        Process second = ServerProcess.launch(dataDir, args);
        CompletableFuture<String> said = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(second.getInputStream().readAllBytes());
            } catch (IOException e) {
                return e.toString();
            }
        });
        boolean exited = second.waitFor(60, TimeUnit.SECONDS);
        if (!exited) {
            second.destroyForcibly().waitFor();
        }
        String output = said.get(10, TimeUnit.SECONDS);
        assertThat(exited).as("the second server gave up within 60 s; it said:\n%s", output).isTrue();
        assertThat(second.exitValue()).as("exit code of the second server; it said:\n%s", output).isNotZero();
        assertThat(output).contains(Long.toString(server.process().pid()));
        assertThat(ServerProcess.processesUnder(dataDir).stream().map(ProcessHandle::pid).sorted().toList())
                .as("the first server's Postgres processes").containsAll(before);
        checkInvariants(server.client());
    }

    /** Random API and data actions until told to stop or the server goes away. */
    private static void churn(ApiClient api, Random random, AtomicBoolean running) {
        try {
            String uri = mainUri(api);
            while (running.get()) {
                switch (random.nextInt(5)) {
                    case 0 -> api.post("/projects/" + projectId + "/branches", Map.of(
                            "branch", Map.of("parent_id", mainBranchId),
                            "endpoints", List.of(Map.of("type", "read_write"))));
                    case 1 -> branchIds(api).stream().filter(b -> !b.equals(mainBranchId)).findAny()
                            .ifPresent(b -> api.delete("/projects/" + projectId + "/branches/" + b));
                    case 2 -> endpointIds(api).stream().findAny().ifPresent(e ->
                            api.post("/projects/" + projectId + "/endpoints/" + e
                                    + (random.nextBoolean() ? "/suspend" : "/start"), null));
                    default -> insert(uri, random.nextInt(1_000_000));
                }
            }
        } catch (RuntimeException | SQLException serverGone) {
            // the server was killed under us: what matters is what survives
        }
    }

    private static void insert(String uri, int id) throws SQLException {
        try (Connection c = Pg.connect(uri); Statement s = c.createStatement()) {
            s.execute("insert into t values (" + id + ") on conflict do nothing");
            committed.add(id);
        }
    }

    private static void checkInvariants(ApiClient api) throws Exception {
        settle(api);
        waitUntil(() -> rowsPresent(mainUri(api)), Duration.ofSeconds(90), () -> "committed rows missing");
        Set<String> branches = new HashSet<>(branchIds(api));
        Path timelines = dataDir.resolve("timelines").resolve(projectId);
        try (Stream<Path> dirs = Files.list(timelines)) {
            assertThat(dirs.map(p -> p.getFileName().toString()).toList())
                    .as("data directories of project %s (branches: %s)", projectId, branches)
                    .allMatch(branches::contains);
        }
        for (ProcessHandle p : ServerProcess.processesUnder(dataDir)) {
            String cmd = p.info().commandLine().orElse("");
            if (cmd.contains(timelines.toString())) {
                assertThat(branches).as("branch of the running Postgres %s", cmd)
                        .anyMatch(b -> cmd.contains(timelines.resolve(b).toString()));
            }
        }
    }

    private static boolean rowsPresent(String uri) {
        try (Connection c = Pg.connect(uri); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select id from t")) {
            Set<Integer> present = new HashSet<>();
            while (rs.next()) {
                present.add(rs.getInt(1));
            }
            Set<Integer> missing = new HashSet<>(committed);
            missing.removeAll(present);
            assertThat(missing).as("committed rows lost").isEmpty();
            return true;
        } catch (SQLException notYet) {
            return false;
        }
    }

    /** Waits until no operation of the project is pending, then checks each failed one says why. */
    private static void settle(ApiClient api) throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE);
        while (true) {
            JsonNode ops = api.get("/projects/" + projectId + "/operations?limit=1000").expect(200).body()
                    .get("operations");
            List<JsonNode> pending = new ArrayList<>();
            for (JsonNode op : ops) {
                String status = op.get("status").asText();
                if (status.equals("failed") || status.equals("error")) {
                    assertThat(op.path("error").asText()).as("reason of failed operation %s", op).isNotBlank();
                } else if (!status.equals("finished") && !status.equals("skipped") && !status.equals("cancelled")) {
                    pending.add(op);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            assertThat(Instant.now()).as("operations still pending: %s\nserver said:\n%s", pending, server.output())
                    .isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static String mainUri(ApiClient api) {
        return api.get("/projects/" + projectId + "/connection_uri?branch_id=" + mainBranchId
                + "&database_name=neondb&role_name=neondb_owner").expect(200).body().get("uri").asText();
    }

    private static List<String> branchIds(ApiClient api) {
        List<String> ids = new ArrayList<>();
        api.get("/projects/" + projectId + "/branches").expect(200).body().get("branches")
                .forEach(b -> ids.add(b.get("id").asText()));
        return ids;
    }

    private static List<String> endpointIds(ApiClient api) {
        List<String> ids = new ArrayList<>();
        api.get("/projects/" + projectId + "/endpoints").expect(200).body().get("endpoints")
                .forEach(e -> ids.add(e.get("id").asText()));
        return ids;
    }

    private static String describe(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList().toString();
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    /** A server that is not answering yet (a timeout, a refused connection) is "not yet", not a failure. */
    private static boolean holds(Condition condition) throws Exception {
        try {
            return condition.holds();
        } catch (UncheckedIOException notAnswering) {
            return false;
        }
    }

    private static void waitUntil(Condition condition, Duration timeout, Supplier<String> what)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (!holds(condition)) {
            assertThat(Instant.now()).as(what.get()).isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
