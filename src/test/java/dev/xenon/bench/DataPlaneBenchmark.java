package dev.xenon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.server.ServerConfig;
import dev.xenon.testing.Pg;
import dev.xenon.testing.TestServer;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.UnaryOperator;

/**
 * Data plane timings through the API, each against Postgres started by hand in the same run (see
 * {@link BareCompute}): project create, branch create (small and ~1 GB), endpoint start and suspend, and the proxy's
 * cold start (a connection to a suspended endpoint). Every measurement of a round runs on every data root before
 * the next round, so two filesystems (ext4 and XFS with reflinks, say) are compared under the same load.
 * Run with bench/data-plane.sh; not part of the test suite.
 *
 * <p>Arguments: rounds, 1 GB rounds, rows of the big table (about 1.17 KB each on disk), then one or more
 * {@code label=directory} data roots (default: {@code ext4=<java.io.tmpdir>}).
 */
public final class DataPlaneBenchmark {
    private record Target(String label, TestServer server, Bench.Api api, Bench.Samples samples) {
    }

    private record Project(String id, String branch, String endpoint, String uri) {
        String endpointPath() {
            return "/projects/" + id + "/endpoints/" + endpoint;
        }

        Path pgdata(TestServer server) {
            return server.dataDir().resolve("timelines").resolve(id).resolve(branch).resolve("pgdata");
        }
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int bigRounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        long bigRows = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000;
        Map<String, Path> roots = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            roots.put(kv[0], Path.of(kv[1]));
        }
        if (roots.isEmpty()) {
            roots.put("default", Path.of(System.getProperty("java.io.tmpdir")));
        }

        List<Target> targets = new ArrayList<>();
        Thread cleanup = new Thread(() -> targets.forEach(t -> {
            quietly(() -> BareCompute.stopLeftover(t.server().dataDir().resolve("bench-bare")));
            quietly(t.server()::close);
        }));
        Runtime.getRuntime().addShutdownHook(cleanup);
        String tmp = System.getProperty("java.io.tmpdir");
        try {
            for (Map.Entry<String, Path> root : roots.entrySet()) {
                // TestServer makes its data directory under java.io.tmpdir.
                System.setProperty("java.io.tmpdir", root.getValue().toString());
                // Plaintext allowed: the benchmark compares connecting with and without TLS.
                UnaryOperator<ServerConfig> plane = TestServer.withLocalDataPlane();
                UnaryOperator<ServerConfig> local = c -> plane.apply(c)
                        .withSecurity(c.security().withAllowPlaintext(true));
                TestServer server = TestServer.start(local);
                System.setProperty("java.io.tmpdir", tmp);
                targets.add(new Target(root.getKey(), server, new Bench.Api(server), new Bench.Samples()));
                System.out.println("server '" + root.getKey() + "' data in " + server.dataDir() + " ("
                        + Files.getFileStore(server.dataDir()).type() + ")");
            }
            for (Target t : targets) {
                warmUp(t);
            }
            for (int r = 0; r < rounds; r++) {
                for (Target t : targets) {
                    smallRound(t);
                }
                System.out.println("round " + (r + 1) + "/" + rounds + " done");
            }
            if (bigRounds > 0) {
                List<Project> big = new ArrayList<>();
                for (Target t : targets) {
                    big.add(bigProject(t, bigRows));
                }
                for (int r = 0; r < bigRounds; r++) {
                    for (int i = 0; i < targets.size(); i++) {
                        bigRound(targets.get(i), big.get(i));
                    }
                    System.out.println("1 GB round " + (r + 1) + "/" + bigRounds + " done");
                }
            }
            for (Target t : targets) {
                t.samples().print(t.label() + " (ms)");
                ratios(t);
            }
            for (Target t : targets) {
                t.samples().printRaw(t.label());
            }
            if (targets.size() > 1 && bigRounds > 0) {
                for (Target t : targets.subList(1, targets.size())) {
                    for (String m : List.of("branch ready, 1 GB, parent running", "branch -> first query, 1 GB")) {
                        Bench.ratio(m + ": " + targets.getFirst().label() + " / " + t.label(),
                                targets.getFirst().samples().median(m), t.samples().median(m));
                    }
                }
            }
        } finally {
            Runtime.getRuntime().removeShutdownHook(cleanup);
            cleanup.run();
        }
    }

    private static void ratios(Target t) {
        Bench.Samples s = t.samples();
        System.out.println("-- ratios (" + t.label() + "), medians");
        Bench.ratio("endpoint start (API, suspended -> active) / PostgresServer.start",
                s.median("endpoint start (API, suspended -> active)"), s.median("bare PostgresServer.start"));
        Bench.ratio("endpoint start (API, suspended -> active) / pg_ctl start -w",
                s.median("endpoint start (API, suspended -> active)"), s.median("bare pg_ctl start -w"));
        Bench.ratio("cold start via proxy, plaintext / bare postgres -> first query, plaintext",
                s.median("cold start via proxy -> SELECT 1, plaintext"),
                s.median("bare postgres spawn -> SELECT 1, plaintext"));
        Bench.ratio("cold start via proxy, TLS / bare postgres -> first query, TLS",
                s.median("cold start via proxy -> SELECT 1, TLS"), s.median("bare postgres spawn -> SELECT 1, TLS"));
        Bench.ratio("cold start via proxy, plaintext / PostgresServer.start -> SELECT 1",
                s.median("cold start via proxy -> SELECT 1, plaintext"),
                s.median("bare PostgresServer.start -> SELECT 1"));
    }

    private static void warmUp(Target t) {
        // Class loading, JIT, the template's spares: nothing of this round is recorded.
        Project p = createProject(t, "warm-up");
        waitFirstQuery(p.uri());
        t.api().awaitOperations(p.id());
        t.api().post("/projects/" + p.id() + "/branches", Map.of("endpoints", List.of(Map.of("type", "read_write"))));
        t.api().awaitOperations(p.id());
        suspend(t, p);
        BareCompute bare = BareCompute.copyOf(p.pgdata(t.server()), t.server().dataDir().resolve("bench-bare"));
        bare.spawnToFirstQuery(Bench.plaintext(p.uri()));
        bare.spawnToFirstQuery(p.uri());
        bare.postgresServerStart(Bench.plaintext(p.uri()));
        bare.pgCtlStart();
        waitFirstQuery(Bench.plaintext(p.uri()));
        t.api().awaitOperations(p.id());
        deleteProject(t, p);
    }

    private static void smallRound(Target t) {
        Bench.Samples s = t.samples();
        Bench.Api api = t.api();

        long start = System.nanoTime();
        Project p = createProject(t, "bench");
        int failed = waitFirstQuery(p.uri());
        s.add("project create -> first query (returned URI, TLS)", Bench.millisSince(start));
        if (failed > 0) {
            s.add("  (failed first-query attempts before success)", failed);
        }
        api.awaitOperations(p.id());

        // The first branch's backup checkpoints everything project creation wrote; the second finds little.
        start = System.nanoTime();
        api.post("/projects/" + p.id() + "/branches", Map.of());
        api.awaitOperations(p.id());
        s.add("branch ready, small, parent running (1st branch)", Bench.millisSince(start));
        start = System.nanoTime();
        api.post("/projects/" + p.id() + "/branches", Map.of());
        api.awaitOperations(p.id());
        s.add("branch ready, small, parent running (2nd branch)", Bench.millisSince(start));

        start = System.nanoTime();
        String child = childUri(t, p, api.post("/projects/" + p.id() + "/branches",
                Map.of("endpoints", List.of(Map.of("type", "read_write")))));
        waitFirstQuery(child);
        s.add("branch -> first query, small (3rd branch, new endpoint, TLS)", Bench.millisSince(start));
        api.awaitOperations(p.id());

        s.add("endpoint suspend (API, active -> idle)", suspend(t, p));
        BareCompute bare = BareCompute.copyOf(p.pgdata(t.server()), t.server().dataDir().resolve("bench-bare"));

        // Interleaved: bare start, then the same through Xenon, on the same data and settings.
        s.add("bare postgres spawn -> SELECT 1, plaintext", bare.spawnToFirstQuery(Bench.plaintext(p.uri())));
        start = System.nanoTime();
        api.post(p.endpointPath() + "/start", Map.of());
        api.awaitOperations(p.id());
        s.add("endpoint start (API, suspended -> active)", Bench.millisSince(start));

        s.add("endpoint suspend (API, active -> idle)", suspend(t, p));
        double[] server = bare.postgresServerStart(Bench.plaintext(p.uri()));
        s.add("bare PostgresServer.start", server[0]);
        s.add("bare PostgresServer.start -> SELECT 1", server[1]);
        start = System.nanoTime();
        waitFirstQuery(Bench.plaintext(p.uri()));
        s.add("cold start via proxy -> SELECT 1, plaintext", Bench.millisSince(start));
        api.awaitOperations(p.id());

        s.add("endpoint suspend (API, active -> idle)", suspend(t, p));
        s.add("bare pg_ctl start -w", bare.pgCtlStart());
        s.add("bare postgres spawn -> SELECT 1, TLS", bare.spawnToFirstQuery(p.uri()));
        start = System.nanoTime();
        waitFirstQuery(p.uri());
        s.add("cold start via proxy -> SELECT 1, TLS", Bench.millisSince(start));
        api.awaitOperations(p.id());

        deleteProject(t, p);
    }

    private static Project bigProject(Target t, long rows) throws Exception {
        Project p = createProject(t, "big");
        waitFirstQuery(p.uri());
        t.api().awaitOperations(p.id());
        // Filled over a direct connection to the compute: how the data got there is not what is measured.
        int computePort = t.server().computePort(p.endpoint());
        long start = System.nanoTime();
        try (Connection c = Pg.connect(Bench.atPort(Bench.plaintext(p.uri()), computePort), new Properties());
             Statement s = c.createStatement()) {
            s.execute("create table big as select g as id, repeat('x', 1000) as pad from generate_series(1, "
                    + rows + ") g");
            System.out.printf("'%s': generated %s in %.1f s%n", t.label(),
                    Pg.single(s, "select pg_size_pretty(pg_database_size(current_database()))"),
                    Bench.millisSince(start) / 1000);
        }
        // Flush the generated data now (as the internal superuser: owners lack pg_checkpoint), so the first branch
        // does not pay for it in its backup's checkpoint.
        Properties admin = new Properties();
        admin.setProperty("user", "xenon_admin");
        admin.setProperty("password", Files.readString(t.server().dataDir().resolve("admin-password")).strip());
        admin.setProperty("sslmode", "disable");
        try (Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + computePort
                + "/neondb", admin); Statement s = c.createStatement()) {
            s.execute("checkpoint");
        }
        return p;
    }

    private static void bigRound(Target t, Project p) {
        Bench.Api api = t.api();
        long start = System.nanoTime();
        String branch = api.post("/projects/" + p.id() + "/branches", Map.of()).at("/branch/id").asText();
        api.awaitOperations(p.id());
        t.samples().add("branch ready, 1 GB, parent running", Bench.millisSince(start));
        api.delete("/projects/" + p.id() + "/branches/" + branch);
        api.awaitOperations(p.id());

        start = System.nanoTime();
        JsonNode created = api.post("/projects/" + p.id() + "/branches",
                Map.of("endpoints", List.of(Map.of("type", "read_write"))));
        waitFirstQuery(childUri(t, p, created));
        t.samples().add("branch -> first query, 1 GB", Bench.millisSince(start));
        api.awaitOperations(p.id());
        api.delete("/projects/" + p.id() + "/branches/" + created.at("/branch/id").asText());
        api.awaitOperations(p.id());
    }

    private static Project createProject(Target t, String name) {
        JsonNode created = t.api().post("/projects", Map.of("project", Map.of("name", name, "pg_version",
                PgTestSupport.MAJOR, "default_endpoint_settings", Map.of("suspend_timeout_seconds", -1))));
        return new Project(created.at("/project/id").asText(), created.at("/branch/id").asText(),
                created.at("/endpoints/0/id").asText(), created.at("/connection_uris/0/connection_uri").asText());
    }

    /** The child's URI: as returned, else the parent's (same roles, same passwords) at the child endpoint's port. */
    private static String childUri(Target t, Project parent, JsonNode created) {
        JsonNode uri = created.at("/connection_uris/0/connection_uri");
        if (!uri.isMissingNode()) {
            return uri.asText();
        }
        String host = created.at("/endpoints/0/host").asText();
        int port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));
        return Bench.atPort(parent.uri(), port);
    }

    /** Deletes the project and waits until its computes are gone and its files removed, so rounds do not overlap. */
    private static void deleteProject(Target t, Project p) {
        t.api().delete("/projects/" + p.id());
        Path dir = t.server().dataDir().resolve("timelines").resolve(p.id());
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (Files.exists(dir)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(dir + " still there two minutes after deleting the project");
            }
            Bench.sleep(5);
        }
    }

    private static double suspend(Target t, Project p) {
        long start = System.nanoTime();
        t.api().post(p.endpointPath() + "/suspend", Map.of());
        t.api().awaitOperations(p.id());
        return Bench.millisSince(start);
    }

    /** The first query through the proxy; the proxy waits for the compute itself, so retries are rare. */
    private static int waitFirstQuery(String uri) {
        return Bench.selectOneRetrying(uri, 120_000);
    }

    private static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            System.err.println("cleanup: " + e);
        }
    }
}
