package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BranchesApiTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static String newProject() {
        String id = Projects.create(api).get("project").get("id").asText();
        Projects.awaitOperations(api, id);
        return id;
    }

    private static JsonNode createBranch(String project, Map<String, Object> body) {
        return api.post("/projects/" + project + "/branches", body).expect(201).body();
    }

    @Test
    void aBranchWithoutBodyStartsFromTheDefaultBranchAndCopiesRolesAndDatabases() {
        String project = newProject();
        String main = api.get("/projects/" + project + "/branches").body().get("branches").get(0).get("id").asText();
        api.post("/projects/" + project + "/branches/" + main + "/roles", Map.of("role", Map.of("name", "reader")))
                .expect(201);
        Projects.awaitOperations(api, project);
        JsonNode created = api.post("/projects/" + project + "/branches", null).expect(201).body();
        JsonNode branch = created.get("branch");
        assertThat(branch.get("parent_id").asText()).isEqualTo(main);
        assertThat(branch.get("default").asBoolean()).isFalse();
        assertThat(branch.get("name").asText()).isEqualTo(branch.get("id").asText());
        assertThat(created.get("endpoints")).isEmpty();
        assertThat(created.get("operations").get(0).get("action").asText()).isEqualTo("create_branch");
        List<String> roles = new ArrayList<>();
        created.get("roles").forEach(r -> roles.add(r.get("name").asText()));
        assertThat(roles).containsExactlyInAnyOrder("neondb_owner", "reader");
        assertThat(created.get("databases").get(0).get("name").asText()).isEqualTo("neondb");
        Projects.awaitOperations(api, project);
        assertThat(api.get("/projects/" + project + "/branches/" + branch.get("id").asText()).body()
                .get("branch").get("current_state").asText()).isEqualTo("ready");
    }

    @Test
    void aBranchWithEndpointsAndAnnotationReturnsConnectionUris() {
        String project = newProject();
        JsonNode created = createBranch(project, Map.of(
                "branch", Map.of("name", "feature"),
                "endpoints", List.of(Map.of("type", "read_write"), Map.of("type", "read_only")),
                "annotation_value", Map.of("environment", "preview")));
        assertThat(created.get("endpoints")).hasSize(2);
        assertThat(created.get("operations")).hasSize(3);
        assertThat(created.get("connection_uris")).hasSize(2);
        String id = created.get("branch").get("id").asText();
        JsonNode got = api.get("/projects/" + project + "/branches/" + id).expect(200).body();
        assertThat(got.get("annotation").get("value").get("environment").asText()).isEqualTo("preview");
        assertThat(got.get("annotation").get("object").get("id").asText()).isEqualTo(id);
        JsonNode list = api.get("/projects/" + project + "/branches").body();
        assertThat(list.get("annotations").get(id).get("value").get("environment").asText()).isEqualTo("preview");
        assertThat(api.get("/projects/" + project + "/branches/" + id + "/endpoints").body().get("endpoints"))
                .hasSize(2);
    }

    @Test
    void branchRulesAreEnforced() {
        String project = newProject();
        String main = api.get("/projects/" + project + "/branches").body().get("branches").get(0).get("id").asText();
        createBranch(project, Map.of("branch", Map.of("name", "dup")));
        assertThat(api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("name", "dup")))
                .expect(409).body().get("message").asText()).contains("dup");
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("parent_lsn", "zz"))).expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("parent_lsn", "0/16B3740",
                "parent_timestamp", Instant.now().toString()))).expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("parent_timestamp",
                Instant.now().plus(1, ChronoUnit.HOURS).toString()))).expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("parent_timestamp",
                "2001-01-01T00:00:00Z"))).expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("parent_timestamp", "yesterday")))
                .expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("init_source", "everything")))
                .expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("parent_id", "br-no-such-00000000")))
                .expect(404);
        api.post("/projects/" + project + "/branches", Map.of("endpoints", List.of(Map.of("type", "read_write"),
                Map.of("type", "read_write")))).expect(409);
        api.post("/projects/" + project + "/branches", Map.of("endpoints", List.of(Map.of("type", "writer"))))
                .expect(400);
        api.post("/projects/" + project + "/branches", Map.of("branch", Map.of("expires_at", "2001-01-01T00:00:00Z")))
                .expect(400);
        assertThat(api.get("/projects/" + project + "/branches/count").body().get("count").asInt()).isEqualTo(2);

        assertThat(api.delete("/projects/" + project + "/branches/" + main).expect(409).body()
                .get("message").asText()).contains("default");
        String parent = createBranch(project, Map.of("branch", Map.of("name", "parent"))).get("branch").get("id").asText();
        String child = createBranch(project, Map.of("branch", Map.of("name", "child", "parent_id", parent)))
                .get("branch").get("id").asText();
        assertThat(api.delete("/projects/" + project + "/branches/" + parent).expect(409).body()
                .get("message").asText()).contains("child");
        JsonNode deleted = api.delete("/projects/" + project + "/branches/" + child).expect(200).body();
        assertThat(deleted.get("branch").get("pending_state").asText()).isEqualTo("storage_deleted");
        api.get("/projects/" + project + "/branches/" + child).expect(404);
        api.delete("/projects/" + project + "/branches/" + parent).expect(200);
        api.patch("/projects/" + project + "/branches/" + main, Map.of("branch", Map.of("protected", true)))
                .expect(200);
        String other = createBranch(project, Map.of("branch", Map.of("name", "other"))).get("branch").get("id").asText();
        api.post("/projects/" + project + "/branches/" + other + "/set_as_default", null).expect(200);
        assertThat(api.delete("/projects/" + project + "/branches/" + main).expect(409).body()
                .get("message").asText()).contains("protected");
    }

    @Test
    void aBranchCanBeCreatedProtected() {
        String project = newProject();
        JsonNode branch = createBranch(project, Map.of("branch", Map.of("name", "guarded", "protected", true)))
                .get("branch");
        assertThat(branch.get("protected").asBoolean()).isTrue();
        assertThat(api.get("/projects/" + project + "/branches/" + branch.get("id").asText()).body().get("branch")
                .get("protected").asBoolean()).isTrue();
        assertThat(api.delete("/projects/" + project + "/branches/" + branch.get("id").asText()).expect(409).body()
                .get("message").asText()).contains("protected");
    }

    @Test
    void updateRenamesProtectsAndClearsExpiry() {
        String project = newProject();
        String expires = Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
        String id = createBranch(project, Map.of("branch", Map.of("name", "old", "expires_at", expires)))
                .get("branch").get("id").asText();
        assertThat(api.get("/projects/" + project + "/branches/" + id).body().get("branch").get("expires_at").asText())
                .isEqualTo(expires);
        JsonNode renamed = api.patch("/projects/" + project + "/branches/" + id,
                Map.of("branch", Map.of("name", "new", "protected", true))).expect(200).body().get("branch");
        assertThat(renamed.get("name").asText()).isEqualTo("new");
        assertThat(renamed.get("protected").asBoolean()).isTrue();
        Map<String, Object> clear = new HashMap<>();
        clear.put("expires_at", null);
        JsonNode cleared = api.patch("/projects/" + project + "/branches/" + id, Map.of("branch", clear))
                .expect(200).body().get("branch");
        assertThat(cleared.has("expires_at")).isFalse();
        assertThat(cleared.get("name").asText()).isEqualTo("new");
        api.patch("/projects/" + project + "/branches/" + id, Map.of("branch", Map.of("name", 5))).expect(400);
        api.patch("/projects/" + project + "/branches/" + id, Map.of("branch", Map.of("name", "x".repeat(257))))
                .expect(400);
    }

    @Test
    void setAsDefaultMovesTheDefault() {
        String project = newProject();
        String main = api.get("/projects/" + project + "/branches").body().get("branches").get(0).get("id").asText();
        String dev = createBranch(project, Map.of("branch", Map.of("name", "dev"))).get("branch").get("id").asText();
        JsonNode result = api.post("/projects/" + project + "/branches/" + dev + "/set_as_default", null)
                .expect(200).body();
        assertThat(result.get("branch").get("default").asBoolean()).isTrue();
        assertThat(api.get("/projects/" + project + "/branches/" + main).body().get("branch").get("default")
                .asBoolean()).isFalse();
        JsonNode fromDefault = createBranch(project, Map.of()).get("branch");
        assertThat(fromDefault.get("parent_id").asText()).isEqualTo(dev);
    }

    @Test
    void listingSortsAndPagesThroughEveryBranch() {
        String project = newProject();
        for (String name : List.of("delta", "alpha", "charlie", "bravo")) {
            createBranch(project, Map.of("branch", Map.of("name", name)));
        }
        JsonNode sorted = api.get("/projects/" + project + "/branches?sort_by=name&sort_order=asc").expect(200).body();
        List<String> names = new ArrayList<>();
        sorted.get("branches").forEach(b -> names.add(b.get("name").asText()));
        assertThat(names).containsExactly("alpha", "bravo", "charlie", "delta", "main");
        assertThat(sorted.get("pagination").get("sort_order").asText()).isEqualTo("ASC");

        List<String> walked = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = api.get("/projects/" + project + "/branches?sort_by=name&sort_order=desc&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200).body();
            page.get("branches").forEach(b -> walked.add(b.get("name").asText()));
            JsonNode next = page.get("pagination").get("next");
            cursor = next == null ? null : next.asText();
        } while (cursor != null);
        assertThat(walked).containsExactly("main", "delta", "charlie", "bravo", "alpha");
        assertThat(api.get("/projects/" + project + "/branches?search=charlie").body().get("branches")).hasSize(1);
        api.get("/projects/" + project + "/branches?sort_by=size").expect(400);
        api.get("/projects/" + project + "/branches?limit=10001").expect(400);
    }

    @Test
    void expiredBranchesAreDeletedByTheServer() throws InterruptedException {
        String project = newProject();
        String id = createBranch(project, Map.of("branch", Map.of("name", "short-lived",
                "expires_at", Instant.now().plusSeconds(2).toString()))).get("branch").get("id").asText();
        Instant deadline = Instant.now().plusSeconds(20);
        while (api.get("/projects/" + project + "/branches/" + id).status() == 200) {
            assertThat(Instant.now()).as("branch still there after its expiry").isBefore(deadline);
            Thread.sleep(250);
        }
        api.get("/projects/" + project + "/branches/" + id).expect(404);
    }
    @Test
    void restoreFollowsNeonsRulesAndKeepsThePreviousStateWhenAsked() {
        String project = newProject();
        String main = api.get("/projects/" + project + "/branches").body().get("branches").get(0).get("id").asText();
        String child = createBranch(project, Map.of("branch", Map.of("name", "child"))).at("/branch/id").asText();
        String grandchild = createBranch(project, Map.of("branch", Map.of("name", "grandchild", "parent_id", child)))
                .at("/branch/id").asText();
        Projects.awaitOperations(api, project);
        String restore = "/projects/" + project + "/branches/" + child + "/restore";

        assertThat(api.post(restore, Map.of()).expect(400).body().get("message").asText())
                .contains("source_branch_id");
        api.post(restore, Map.of("source_branch_id", "br-missing-branch-1")).expect(404);
        assertThat(api.post(restore, Map.of("source_branch_id", child)).expect(400).body().get("message").asText())
                .contains("source_lsn or source_timestamp");
        assertThat(api.post(restore, Map.of("source_branch_id", main)).expect(400).body().get("message").asText())
                .contains("child branches");
        api.post(restore, Map.of("source_branch_id", main, "source_lsn", "nope")).expect(400);
        api.post(restore, Map.of("source_branch_id", main, "preserve_under_name", "grandchild")).expect(409);

        JsonNode restored = api.post(restore, Map.of("source_branch_id", main, "preserve_under_name", "child-old"))
                .expect(200).body();
        Projects.awaitOperations(api, project);
        Map<String, JsonNode> byName = new HashMap<>();
        api.get("/projects/" + project + "/branches").body().get("branches")
                .forEach(b -> byName.put(b.get("name").asText(), b));
        JsonNode backup = byName.get("child-old");
        assertThat(restored.at("/branch/id").asText()).isEqualTo(child);
        assertThat(restored.at("/branch/parent_id").asText()).isEqualTo(backup.get("id").asText());
        assertThat(restored.at("/branch/last_reset_at").isTextual()).isTrue();
        assertThat(restored.at("/operations/0/action").asText()).isEqualTo("create_timeline");
        assertThat(backup.get("parent_id").asText()).isEqualTo(main);
        assertThat(byName.get("grandchild").get("parent_id").asText()).isEqualTo(backup.get("id").asText());
        assertThat(byName.get("child").get("current_state").asText()).isEqualTo("ready");
        assertThat(grandchild).isEqualTo(byName.get("grandchild").get("id").asText());
        // Without children it may be restored (reset to its parent) without keeping anything.
        api.post(restore, Map.of("source_branch_id", backup.get("id").asText())).expect(200);
    }
}
