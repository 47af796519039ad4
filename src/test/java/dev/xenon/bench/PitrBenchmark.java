package dev.xenon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.server.HistoryConfig;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import dev.xenon.units.DataSize;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.xenon.testing.Pg.connect;

/**
 * Point-in-time branching costs on the local data plane. Run with bench/pitr.sh; not part of the test suite.
 * <ol>
 *   <li>Time to branch at a past moment as a function of the WAL between the base copy and that moment: a fresh
 *       project (its base copy is the template) writes N MB of WAL, then branches are taken at the moment the
 *       writes ended. Reported: the create_branch step's duration and, from the recovery log, the replay alone.</li>
 *   <li>Storage of history under a write-heavy workload kept up for three retention windows: history bytes (base
 *       copies and archived WAL) against the data's size, sampled every few seconds.</li>
 * </ol>
 */
public final class PitrBenchmark {
    private static final Pattern REDO_ELAPSED = Pattern.compile("redo done at .* elapsed: ([0-9.]+) s");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int[] sizesMb = {16, 64, 256};
        int retentionSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        branchTimes(rounds, sizesMb);
        storageOverhead(retentionSeconds);
    }

    private static void branchTimes(int rounds, int[] sizesMb) throws Exception {
        // No periodic base copies: the replay is exactly the WAL written since the project's start.
        try (TestServer server = TestServer.start(c -> TestServer.withLocalDataPlane().apply(c)
                .withHistory(new HistoryConfig(Duration.ofHours(1), DataSize.ofBytes(Long.MAX_VALUE / 4), 0)))) {
            ApiClient api = server.client();
            for (int mb : sizesMb) {
                JsonNode project = Projects.create(api, Map.of("name", "bench-" + mb));
                String projectId = project.at("/project/id").asText();
                String uri = project.at("/connection_uris/0/connection_uri").asText();
                Projects.awaitOperations(api, projectId);
                long wal = writeWal(uri, mb * (1L << 20));
                Thread.sleep(1000);
                Instant at = Instant.now();
                double[] step = new double[rounds];
                double[] replay = new double[rounds];
                double[] now = new double[rounds];
                for (int i = 0; i < rounds; i++) {
                    JsonNode branch = api.post("/projects/" + projectId + "/branches",
                            Map.of("branch", Map.of("parent_timestamp", at.toString()))).expect(201).body();
                    step[i] = awaitStep(api, projectId, branch.at("/operations/0/id").asText());
                    String branchId = branch.at("/branch/id").asText();
                    replay[i] = redoSeconds(server.dataDir().resolve("timelines").resolve(projectId).resolve(branchId)
                            .resolve("logs").resolve("recovery.log")) * 1000;
                    JsonNode current = api.post("/projects/" + projectId + "/branches", Map.of()).expect(201).body();
                    now[i] = awaitStep(api, projectId, current.at("/operations/0/id").asText());
                }
                System.out.printf("WAL to replay %4d MB (%5.1f MB written): branch at a past moment median %6.0f ms "
                                + "(replay %6.0f ms); branch of the current state median %5.0f ms%n", mb,
                        wal / 1048576.0, median(step), median(replay), median(now));
                api.delete("/projects/" + projectId).expect(200);
            }
        }
    }

    private static void storageOverhead(int retentionSeconds) throws Exception {
        Duration interval = Duration.ofSeconds(5);
        try (TestServer server = TestServer.start(c -> TestServer.withLocalDataPlane().apply(c)
                .withHistory(new HistoryConfig(interval, DataSize.ofMegabytes(64), 1.0)))) {
            ApiClient api = server.client();
            JsonNode project = Projects.create(api, Map.of("name", "bench-storage",
                    "history_retention_seconds", retentionSeconds));
            String projectId = project.at("/project/id").asText();
            String branchId = project.at("/branch/id").asText();
            String uri = project.at("/connection_uris/0/connection_uri").asText();
            Projects.awaitOperations(api, projectId);
            Path timeline = server.dataDir().resolve("timelines").resolve(projectId).resolve(branchId);
            try (Connection c = connect(uri); Statement s = c.createStatement()) {
                // Room on every page, so updates stay on their page (HOT) and the table keeps its size.
                s.execute("create table accounts (id int primary key, balance int, pad text) with (fillfactor = 50)");
                s.execute("insert into accounts select g, 0, repeat('x', 200) from generate_series(1, 200000) g");
            }
            int seconds = 3 * retentionSeconds;
            Instant end = Instant.now().plusSeconds(seconds);
            Instant firstWindowEnd = Instant.now().plusSeconds(retentionSeconds);
            List<double[]> samples = new ArrayList<>();
            long startLsn = lsn(uri);
            try (Connection c = connect(uri); Statement s = c.createStatement()) {
                Instant nextSample = Instant.now();
                for (int batch = 0; Instant.now().isBefore(end); batch++) {
                    int from = (batch * 2000) % 200000;
                    s.execute("update accounts set balance = balance + 1 where id > " + from + " and id <= "
                            + (from + 2000));
                    if (Instant.now().isAfter(nextSample)) {
                        nextSample = nextSample.plus(interval);
                        if (Instant.now().isAfter(firstWindowEnd)) {
                            Path history = timeline.resolve("history");
                            samples.add(new double[] {size(timeline.resolve("pgdata/base")),
                                    size(history.resolve("bases")), size(history.resolve("wal"))});
                        }
                    }
                }
            }
            double walMb = (lsn(uri) - startLsn) / 1048576.0;
            double windowWalMb = walMb / seconds * retentionSeconds;
            double[] data = column(samples, 0);
            double[] bases = column(samples, 1);
            double[] wal = column(samples, 2);
            double[] history = samples.stream().mapToDouble(x -> (x[1] + x[2]) / 1048576.0).toArray();
            System.out.printf("write-heavy workload for %d s, retention %d s: %.0f MB of WAL (%.1f MB/s, %.0f MB per "
                            + "window); after the first window, medians (max): data %.0f MB, base copies %.0f MB "
                            + "(%.0f), archived WAL %.0f MB (%.0f), history %.0f MB (%.0f) = %.2f x (data + one "
                            + "window of WAL)%n", seconds, retentionSeconds, walMb, walMb / seconds, windowWalMb,
                    median(data), median(bases), max(bases), median(wal), max(wal), median(history), max(history),
                    median(history) / (median(data) + windowWalMb));
            api.delete("/projects/" + projectId).expect(200);
        }
    }

    private static double[] column(List<double[]> samples, int i) {
        return samples.stream().mapToDouble(x -> x[i] / 1048576.0).toArray();
    }

    /** Inserts padded rows until the WAL has grown by {@code bytes}; returns how much it grew. */
    private static long writeWal(String uri, long bytes) throws SQLException {
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            s.execute("create table filler (id bigserial, pad text)");
            long start = lsn(s);
            while (lsn(s) - start < bytes) {
                s.execute("insert into filler (pad) select repeat(md5(g::text), 30) from generate_series(1, 2000) g");
            }
            return lsn(s) - start;
        }
    }

    private static long lsn(String uri) throws SQLException {
        try (Connection c = connect(uri); Statement s = c.createStatement()) {
            return lsn(s);
        }
    }

    private static long lsn(Statement s) throws SQLException {
        try (ResultSet rs = s.executeQuery("select pg_current_wal_lsn() - '0/0'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits for the operation and returns its own duration (the step, not the queueing). */
    private static double awaitStep(ApiClient api, String projectId, String operationId) throws InterruptedException {
        while (true) {
            JsonNode op = api.get("/projects/" + projectId + "/operations/" + operationId).expect(200).body()
                    .get("operation");
            String status = op.get("status").asText();
            if (status.equals("finished")) {
                return op.get("total_duration_ms").asDouble();
            }
            if (status.equals("failed") || op.get("failures_count").asInt() > 0) {
                throw new IllegalStateException("operation failed: " + op);
            }
            Thread.sleep(20);
        }
    }

    private static double redoSeconds(Path log) throws IOException {
        Matcher m = REDO_ELAPSED.matcher(Files.readString(log));
        double seconds = Double.NaN;
        while (m.find()) {
            seconds = Double.parseDouble(m.group(1));
        }
        return seconds;
    }

    private static long size(Path dir) throws IOException {
        long[] total = {0};
        if (!Files.exists(dir)) {
            return 0;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                total[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
