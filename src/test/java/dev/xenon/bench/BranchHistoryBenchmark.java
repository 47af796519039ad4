package dev.xenon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.DiskUsage;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;

/**
 * History kept per branch made from an idle running parent, the branch-per-CI-job pattern: a project whose compute
 * runs but writes nothing, then branches of its current state, each with a read_write endpoint (what neonctl
 * makes by default). Reported per branch: what the parent's WAL archive grew by (each branch's online backup ends
 * with a segment switch) and what the branch's own history holds (its archive and its first base copy). Bytes are
 * those of files no one else holds: a file shared by hard link with the template (or counted already) adds nothing,
 * as {@code du} counts. Run with bench/branch-history.sh; not part of the test suite.
 */
public final class BranchHistoryBenchmark {
    public static void main(String[] args) throws Exception {
        int branches = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        try (TestServer server = TestServer.start(TestServer.withLocalDataPlane())) {
            ApiClient api = server.client();
            JsonNode project = Projects.create(api, Map.of("name", "bench-branch-history"));
            String projectId = project.at("/project/id").asText();
            String parentId = project.at("/branch/id").asText();
            Projects.awaitOperations(api, projectId);
            Path timelines = server.dataDir().resolve("timelines").resolve(projectId);
            // The first branch also makes the parent archive the segment it wrote since initdb: a one-off, so
            // it is made before counting.
            api.post("/projects/" + projectId + "/branches", Map.of()).expect(201);
            Projects.awaitOperations(api, projectId);
            Thread.sleep(3000);
            Set<Object> counted = new HashSet<>();
            DiskUsage.newBytes(server.dataDir().resolve("templates"), counted);
            long parentBefore = DiskUsage.newBytes(timelines.resolve(parentId).resolve("history/wal"), counted);
            long childWal = 0;
            long childBases = 0;
            for (int i = 0; i < branches; i++) {
                JsonNode branch = api.post("/projects/" + projectId + "/branches", Map.of("endpoints",
                        List.of(Map.of("type", "read_write")))).expect(201).body();
                Projects.awaitOperations(api, projectId);
                Path child = timelines.resolve(branch.at("/branch/id").asText()).resolve("history");
                // The child's compute archives what it writes at start (a timeline history file, its first segment).
                Thread.sleep(3000);
                childWal += DiskUsage.newBytes(child.resolve("wal"), counted);
                childBases += DiskUsage.newBytes(child.resolve("bases"), counted);
                listing(child.resolve("wal"));
            }
            long parentGrowth = DiskUsage.newBytes(timelines.resolve(parentId).resolve("history/wal"), counted);
            listing(timelines.resolve(parentId).resolve("history/wal"));
            System.out.printf("%d branches of an idle running parent, per branch: parent's archive +%.1f KB, "
                            + "branch's archive %.1f KB, branch's first base copy %.1f KB; history in all %.1f KB "
                            + "(parent's archive before: %.1f KB)%n", branches, parentGrowth / 1024.0 / branches,
                    childWal / 1024.0 / branches, childBases / 1024.0 / branches,
                    (parentGrowth + childWal + childBases) / 1024.0 / branches, parentBefore / 1024.0);
        }
    }

    private static void listing(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                System.out.printf("  %s %d%n", dir.getParent().getParent().getFileName() + "/" + f.getFileName(),
                        Files.size(f));
            }
        }
    }
}
