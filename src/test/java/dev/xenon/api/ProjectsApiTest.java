package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ProjectsApiTest {
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

    @Test
    void creatingAProjectWithDefaultsMakesBranchEndpointRoleAndDatabase() {
        JsonNode created = Projects.create(api, Map.of("name", "defaults"));
        JsonNode project = created.get("project");
        assertThat(project.get("name").asText()).isEqualTo("defaults");
        assertThat(project.get("pg_version").asInt()).isEqualTo(17);
        assertThat(project.get("history_retention_seconds").asInt()).isEqualTo(86400);
        assertThat(project.get("id").asText()).matches("[a-z]+-[a-z]+-\\d{8}");
        assertThat(project.get("org_id").asText()).startsWith("org-");
        assertThat(created.get("branch").get("name").asText()).isEqualTo("main");
        assertThat(created.get("branch").get("default").asBoolean()).isTrue();
        assertThat(created.get("branch").get("current_state").asText()).isEqualTo("init");
        assertThat(created.get("branch").get("id").asText()).matches("br-[a-z]+-[a-z]+-[a-z0-9]{8}");
        assertThat(created.get("endpoints").get(0).get("type").asText()).isEqualTo("read_write");
        assertThat(created.get("endpoints").get(0).get("id").asText()).startsWith("ep-");
        JsonNode role = created.get("roles").get(0);
        assertThat(role.get("name").asText()).isEqualTo("neondb_owner");
        assertThat(role.get("password").asText()).matches("npg_[A-Za-z0-9]{12}");
        assertThat(created.get("databases").get(0).get("name").asText()).isEqualTo("neondb");
        assertThat(created.get("databases").get(0).get("owner_name").asText()).isEqualTo("neondb_owner");
        List<String> actions = new ArrayList<>();
        created.get("operations").forEach(op -> actions.add(op.get("action").asText()));
        assertThat(actions).containsExactly("create_timeline", "start_compute");
        String uri = created.get("connection_uris").get(0).get("connection_uri").asText();
        assertThat(uri).startsWith("postgresql://neondb_owner:" + role.get("password").asText() + "@")
                .contains("/neondb?").contains("sslmode=require");

        String id = project.get("id").asText();
        Projects.awaitOperations(api, id);
        JsonNode branch = api.get("/projects/" + id + "/branches/" + created.get("branch").get("id").asText())
                .expect(200).body().get("branch");
        assertThat(branch.get("current_state").asText()).isEqualTo("ready");
        assertThat(branch.has("pending_state")).isFalse();
        JsonNode endpoint = api.get("/projects/" + id + "/endpoints/" + created.get("endpoints").get(0).get("id").asText())
                .expect(200).body().get("endpoint");
        assertThat(endpoint.get("current_state").asText()).isEqualTo("active");
    }

    @Test
    void creatingAProjectHonoursEverySetting() {
        Map<String, Object> settings = Map.of(
                "quota", Map.of("active_time_seconds", 100, "logical_size_bytes", 1048576),
                "allowed_ips", Map.of("ips", List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32"),
                        "protected_branches_only", true),
                "enable_logical_replication", true,
                "maintenance_window", Map.of("weekdays", List.of(1, 3), "start_time", "01:00", "end_time", "02:00"),
                "block_public_connections", false, "block_vpc_connections", true, "audit_log_level", "extended",
                "hipaa", false, "preload_libraries", Map.of("use_defaults", false, "enabled_libraries", List.of("timescaledb")));
        JsonNode created = Projects.create(api, Map.of("name", "everything", "pg_version", 15,
                "region_id", "aws-eu-central-1", "store_passwords", false, "history_retention_seconds", 3600,
                "provisioner", "k8s-pod",
                "default_endpoint_settings", Map.of("autoscaling_limit_min_cu", 0.5, "autoscaling_limit_max_cu", 2,
                        "suspend_timeout_seconds", 600),
                "settings", settings,
                "branch", Map.of("name", "production", "role_name", "app", "database_name", "appdb")));
        JsonNode project = api.get("/projects/" + created.get("project").get("id").asText()).expect(200).body()
                .get("project");
        assertThat(project.get("pg_version").asInt()).isEqualTo(15);
        assertThat(project.get("region_id").asText()).isEqualTo("aws-eu-central-1");
        assertThat(project.get("store_passwords").asBoolean()).isFalse();
        assertThat(project.get("history_retention_seconds").asInt()).isEqualTo(3600);
        assertThat(project.get("provisioner").asText()).isEqualTo("k8s-pod");
        assertThat(project.get("default_endpoint_settings").get("autoscaling_limit_max_cu").asDouble()).isEqualTo(2);
        JsonNode stored = project.get("settings");
        assertThat(stored.get("allowed_ips").get("ips")).hasSize(3);
        assertThat(stored.get("allowed_ips").get("protected_branches_only").asBoolean()).isTrue();
        assertThat(stored.get("enable_logical_replication").asBoolean()).isTrue();
        assertThat(stored.get("maintenance_window").get("weekdays").toString()).isEqualTo("[1,3]");
        assertThat(stored.get("audit_log_level").asText()).isEqualTo("extended");
        assertThat(stored.get("quota").get("logical_size_bytes").asLong()).isEqualTo(1048576);
        assertThat(stored.get("preload_libraries").get("enabled_libraries").get(0).asText()).isEqualTo("timescaledb");
        assertThat(created.get("branch").get("name").asText()).isEqualTo("production");
        assertThat(created.get("roles").get(0).get("name").asText()).isEqualTo("app");
        assertThat(created.get("databases").get(0).get("name").asText()).isEqualTo("appdb");
        JsonNode endpoint = created.get("endpoints").get(0);
        assertThat(endpoint.get("autoscaling_limit_min_cu").asDouble()).isEqualTo(0.5);
        assertThat(endpoint.get("suspend_timeout_seconds").asInt()).isEqualTo(600);
        assertThat(endpoint.get("provisioner").asText()).isEqualTo("k8s-pod");
    }

    @Test
    void roleNameDefaultsToDatabaseOwner() {
        JsonNode created = Projects.create(api, Map.of("branch", Map.of("database_name", "shop")));
        assertThat(created.get("roles").get(0).get("name").asText()).isEqualTo("shop_owner");
        assertThat(created.get("project").get("name").asText()).isEqualTo(created.get("project").get("id").asText());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "pg_version 13 | {\"project\":{\"pg_version\":13}} | project.pg_version",
            "pg_version 19 | {\"project\":{\"pg_version\":19}} | project.pg_version",
            "pg_version as text | {\"project\":{\"pg_version\":\"seventeen\"}} | pg_version",
            "retention too long | {\"project\":{\"history_retention_seconds\":2592001}} | history_retention_seconds",
            "negative retention | {\"project\":{\"history_retention_seconds\":-1}} | history_retention_seconds",
            "unknown provisioner | {\"project\":{\"provisioner\":\"docker\"}} | provisioner",
            "unknown region | {\"project\":{\"region_id\":\"mars-1\"}} | region_id",
            "empty name | {\"project\":{\"name\":\"\"}} | name",
            "min cu too small | {\"project\":{\"default_endpoint_settings\":{\"autoscaling_limit_min_cu\":0.1}}} | autoscaling_limit_min_cu",
            "min above max | {\"project\":{\"default_endpoint_settings\":{\"autoscaling_limit_min_cu\":2,\"autoscaling_limit_max_cu\":1}}} | autoscaling_limit_min_cu",
            "suspend timeout | {\"project\":{\"default_endpoint_settings\":{\"suspend_timeout_seconds\":604801}}} | suspend_timeout_seconds",
            "bad ip | {\"project\":{\"settings\":{\"allowed_ips\":{\"ips\":[\"10.0.0.300\"]}}}} | allowed_ips",
            "bad weekday | {\"project\":{\"settings\":{\"maintenance_window\":{\"weekdays\":[8],\"start_time\":\"01:00\",\"end_time\":\"02:00\"}}}} | weekdays",
            "bad time | {\"project\":{\"settings\":{\"maintenance_window\":{\"weekdays\":[1],\"start_time\":\"1am\",\"end_time\":\"02:00\"}}}} | start_time",
            "audit level | {\"project\":{\"settings\":{\"audit_log_level\":\"loud\"}}} | audit_log_level",
            "long role | {\"project\":{\"branch\":{\"role_name\":\"rrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrrr\"}}} | role_name",
            "malformed json | {\"project\": | JSON",
    })
    void invalidProjectsAreRejectedAndNothingIsCreated(String name, String body, String mentioned) {
        int before = api.get("/projects?limit=400").expect(200).body().get("projects").size();
        ApiClient.Response response = api.post("/projects", body).expect(400);
        assertThat(response.body().get("message").asText()).contains(mentioned);
        assertThat(response.body().get("code").asText()).isNotEmpty();
        assertThat(response.body().get("request_id").asText()).isNotEmpty();
        assertThat(api.get("/projects?limit=400").body().get("projects")).hasSize(before);
    }

    @Test
    void listingWalksEveryProjectOnceWithTheCursor() {
        Set<String> made = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            made.add(Projects.create(api, Map.of("name", "walk-" + i)).get("project").get("id").asText());
        }
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        while (true) {
            JsonNode page = api.get("/projects?limit=2&search=walk-" + (cursor == null ? "" : "&cursor=" + cursor))
                    .expect(200).body();
            JsonNode projects = page.get("projects");
            if (projects.isEmpty()) {
                break;
            }
            assertThat(projects.size()).isLessThanOrEqualTo(2);
            projects.forEach(p -> assertThat(seen.add(p.get("id").asText())).as("seen twice: %s", p).isTrue());
            cursor = page.get("pagination").get("cursor").asText();
            pages++;
        }
        assertThat(seen).isEqualTo(made);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void limitOutOfRangeIsRejected() {
        assertThat(api.get("/projects?limit=0").expect(400).body().get("message").asText()).contains("limit");
        api.get("/projects?limit=401").expect(400);
        api.get("/projects?limit=abc").expect(400);
    }

    @Test
    void searchMatchesNameOrId() {
        JsonNode created = Projects.create(api, Map.of("name", "Needle-In-Haystack"));
        String id = created.get("project").get("id").asText();
        assertThat(api.get("/projects?search=needle-in").body().get("projects").get(0).get("id").asText()).isEqualTo(id);
        assertThat(api.get("/projects?search=" + id).body().get("projects").get(0).get("id").asText()).isEqualTo(id);
    }

    @Test
    void updatingSettingsMergesWithWhatIsStored() {
        String id = Projects.create(api, Map.of("name", "merge", "settings",
                Map.of("allowed_ips", Map.of("ips", List.of("1.2.3.4")), "hipaa", false))).get("project").get("id").asText();
        JsonNode updated = api.patch("/projects/" + id, Map.of("project", Map.of("name", "merged",
                "settings", Map.of("allowed_ips", Map.of("ips", List.of("5.6.7.8", "10.0.0.0/8"))))))
                .expect(200).body().get("project");
        assertThat(updated.get("name").asText()).isEqualTo("merged");
        assertThat(updated.get("settings").get("allowed_ips").get("ips")).hasSize(2);
        assertThat(updated.get("settings").get("maintenance_window")).isNotNull();
        JsonNode again = api.get("/projects/" + id).body().get("project");
        assertThat(again.get("name").asText()).isEqualTo("merged");
        assertThat(again.get("settings").get("allowed_ips").get("ips").get(0).asText()).isEqualTo("5.6.7.8");
    }

    @Test
    void invalidUpdateChangesNothing() {
        String id = Projects.create(api, Map.of("name", "stable")).get("project").get("id").asText();
        api.patch("/projects/" + id, Map.of("project", Map.of("name", "renamed", "history_retention_seconds", 99999999)))
                .expect(400);
        api.patch("/projects/" + id, Map.of("project", Map.of("settings", Map.of("allowed_ips",
                Map.of("ips", List.of("nonsense")))))).expect(400);
        JsonNode project = api.get("/projects/" + id).body().get("project");
        assertThat(project.get("name").asText()).isEqualTo("stable");
        assertThat(project.get("settings").get("allowed_ips").get("ips")).isEmpty();
    }

    @Test
    void deletedProjectsAreGone() {
        String id = Projects.create(api).get("project").get("id").asText();
        assertThat(api.delete("/projects/" + id).expect(200).body().get("project").get("id").asText()).isEqualTo(id);
        api.get("/projects/" + id).expect(404);
        api.get("/projects/" + id + "/branches").expect(404);
        api.delete("/projects/" + id).expect(404);
    }

    @Test
    void deletingAProjectTakesItsWholeBranchTreeWithIt() {
        String id = Projects.create(api).get("project").get("id").asText();
        String main = api.get("/projects/" + id + "/branches").body().get("branches").get(0).get("id").asText();
        String child = api.post("/projects/" + id + "/branches", Map.of("branch", Map.of("parent_id", main)))
                .expect(201).body().get("branch").get("id").asText();
        api.post("/projects/" + id + "/branches", Map.of("branch", Map.of("parent_id", child, "protected", true)))
                .expect(201);
        api.delete("/projects/" + id).expect(200);
        api.get("/projects/" + id).expect(404);
    }

    @Test
    void unknownProjectIs404WithNeonErrorBody() {
        ApiClient.Response response = api.get("/projects/no-such-12345678").expect(404);
        assertThat(response.body().get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(response.body().get("message").asText()).contains("no-such-12345678");
    }

    @Test
    void connectionUriUsesTheStoredPasswordAndTheEndpointHost() {
        JsonNode created = Projects.create(api);
        String id = created.get("project").get("id").asText();
        String password = created.get("roles").get(0).get("password").asText();
        String host = created.get("endpoints").get(0).get("host").asText();
        String uri = api.get("/projects/" + id + "/connection_uri?database_name=neondb&role_name=neondb_owner&pooled=false")
                .expect(200).body().get("uri").asText();
        assertThat(uri).isEqualTo("postgresql://neondb_owner:" + password + "@" + host
                + "/neondb?sslmode=require&channel_binding=require");
        api.get("/projects/" + id + "/connection_uri?role_name=neondb_owner").expect(400);
        api.get("/projects/" + id + "/connection_uri?database_name=nope&role_name=neondb_owner").expect(404);
        api.get("/projects/" + id + "/connection_uri?database_name=neondb&role_name=nobody").expect(404);
    }

    @Test
    void projectsSurviveARestart() {
        JsonNode created = Projects.create(api, Map.of("name", "durable"));
        String id = created.get("project").get("id").asText();
        Projects.awaitOperations(api, id);
        server.restart();
        api = server.client();
        JsonNode project = api.get("/projects/" + id).expect(200).body().get("project");
        assertThat(project.get("name").asText()).isEqualTo("durable");
        assertThat(api.get("/projects/" + id + "/branches").body().get("branches")).hasSize(1);
        assertThat(api.get("/projects/" + id + "/operations").body().get("operations")).hasSize(2);
    }
}
