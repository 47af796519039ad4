package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.e2e.PointInTimeApiTest.Commit;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.DiskUsage;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.xenon.e2e.PointInTimeApiTest.rows;
import static dev.xenon.e2e.PointInTimeApiTest.writeRows;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A branch per CI job: what a branch of an idle running parent keeps as history (compressed archive, a first base
 * copy sharing the template's files), and that a point-in-time branch replays from that compact base exactly.
 */
class BranchHistorySizeTest {
    @Test
    void aBranchOfAnIdleParentKeepsUnderAMegabyteAndStillReplays() throws Exception {
        try (TestServer server = TestServer.start(TestServer.withLocalDataPlane())) {
            ApiClient api = server.client();
            JsonNode project = Projects.create(api, Map.of("name", "ci"));
            String projectId = project.at("/project/id").asText();
            Projects.awaitOperations(api, projectId);
            // The first branch also makes the parent archive what it wrote since initdb: a one-off, not counted.
            api.post("/projects/" + projectId + "/branches", Map.of()).expect(201);
            Projects.awaitOperations(api, projectId);
            Path timelines = server.dataDir().resolve("timelines").resolve(projectId);
            Set<Object> counted = inodes(server.dataDir().resolve("templates"));
            counted.addAll(inodes(timelines.resolve(project.at("/branch/id").asText()).resolve("history")));

            JsonNode child = api.post("/projects/" + projectId + "/branches", Map.of("endpoints",
                    List.of(Map.of("type", "read_write")))).expect(201).body();
            Projects.awaitOperations(api, projectId);
            String childId = child.at("/branch/id").asText();
            // What branching added to the parent's history (a switched segment) and the child's own history.
            long added = DiskUsage.newBytes(timelines.resolve(project.at("/branch/id").asText()).resolve("history"), counted)
                    + DiskUsage.newBytes(timelines.resolve(childId).resolve("history"), counted);
            assertThat(added).as("history bytes kept for one branch").isLessThan(1 << 20);

            String childUri = child.at("/connection_uris/0/connection_uri").asText();
            List<Commit> commits = writeRows(childUri, 10, 12);
            JsonNode past = api.post("/projects/" + projectId + "/branches", Map.of(
                    "branch", Map.of("parent_id", childId, "parent_timestamp", commits.get(1).at().toString()),
                    "endpoints", List.of(Map.of("type", "read_write")))).expect(201).body();
            Projects.awaitOperations(api, projectId);
            assertThat(rows(past.at("/connection_uris/0/connection_uri").asText())).containsExactly(10, 11);
            assertThat(rows(childUri)).containsExactly(10, 11, 12);
        }
    }

    private static Set<Object> inodes(Path dir) throws IOException {
        Set<Object> keys = new HashSet<>();
        DiskUsage.newBytes(dir, keys);
        return keys;
    }
}
