package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointsApiTest {
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

    private record Target(String project, String branch, String endpoint) {
        String endpoints() {
            return "/projects/" + project + "/endpoints";
        }
    }

    private static Target newProject() {
        JsonNode created = Projects.create(api);
        Target t = new Target(created.get("project").get("id").asText(), created.get("branch").get("id").asText(),
                created.get("endpoints").get(0).get("id").asText());
        Projects.awaitOperations(api, t.project());
        return t;
    }

    @Test
    void endpointsAreCreatedUpdatedAndDeleted() {
        Target t = newProject();
        JsonNode created = api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(),
                "type", "read_only", "autoscaling_limit_min_cu", 0.5, "autoscaling_limit_max_cu", 1,
                "suspend_timeout_seconds", -1))).expect(201).body();
        JsonNode endpoint = created.get("endpoint");
        String id = endpoint.get("id").asText();
        assertThat(endpoint.get("type").asText()).isEqualTo("read_only");
        assertThat(endpoint.get("current_state").asText()).isEqualTo("init");
        assertThat(endpoint.get("pending_state").asText()).isEqualTo("active");
        assertThat(endpoint.get("suspend_timeout_seconds").asInt()).isEqualTo(-1);
        assertThat(created.get("operations").get(0).get("action").asText()).isEqualTo("start_compute");
        assertThat(endpoint.get("host").asText()).isNotEqualTo(
                api.get(t.endpoints() + "/" + t.endpoint()).body().get("endpoint").get("host").asText());
        Projects.awaitOperations(api, t.project());
        JsonNode active = api.get(t.endpoints() + "/" + id).expect(200).body().get("endpoint");
        assertThat(active.get("current_state").asText()).isEqualTo("active");
        assertThat(active.has("started_at")).isTrue();

        JsonNode updated = api.patch(t.endpoints() + "/" + id, Map.of("endpoint", Map.of(
                "autoscaling_limit_max_cu", 2, "disabled", false))).expect(200).body().get("endpoint");
        assertThat(updated.get("autoscaling_limit_max_cu").asDouble()).isEqualTo(2);
        assertThat(updated.get("autoscaling_limit_min_cu").asDouble()).isEqualTo(0.5);
        List<String> ids = new ArrayList<>();
        api.get(t.endpoints()).body().get("endpoints").forEach(e -> ids.add(e.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(t.endpoint(), id);

        Projects.awaitOperations(api, t.project());
        api.delete(t.endpoints() + "/" + id).expect(200);
        api.get(t.endpoints() + "/" + id).expect(404);
        Projects.awaitOperations(api, t.project());
    }

    @Test
    void endpointRulesAreEnforced() {
        Target t = newProject();
        assertThat(api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(), "type", "read_write")))
                .expect(409).body().get("message").asText()).contains("read_write");
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(), "type", "read_only",
                "region_id", "aws-eu-central-1"))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(), "type", "read_only",
                "autoscaling_limit_min_cu", 0.1))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(), "type", "read_only",
                "autoscaling_limit_min_cu", 2, "autoscaling_limit_max_cu", 1))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(), "type", "read_only",
                "suspend_timeout_seconds", -2))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch(), "type", "read_only",
                "provisioner", "vm"))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", t.branch()))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("type", "read_only"))).expect(400);
        api.post(t.endpoints(), Map.of("endpoint", Map.of("branch_id", "br-no-such-00000000", "type", "read_only")))
                .expect(404);
        api.patch(t.endpoints() + "/" + t.endpoint(), Map.of("endpoint", Map.of("autoscaling_limit_min_cu", 8)))
                .expect(400);
        assertThat(api.get(t.endpoints()).body().get("endpoints")).hasSize(1);
    }

    @Test
    void suspendStartAndRestartMoveTheComputeThroughItsStates() {
        Target t = newProject();
        String path = t.endpoints() + "/" + t.endpoint();
        JsonNode suspending = api.post(path + "/suspend", null).expect(200).body();
        assertThat(suspending.get("endpoint").get("pending_state").asText()).isEqualTo("idle");
        assertThat(suspending.get("operations").get(0).get("action").asText()).isEqualTo("suspend_compute");
        Projects.awaitOperations(api, t.project());
        JsonNode idle = api.get(path).body().get("endpoint");
        assertThat(idle.get("current_state").asText()).isEqualTo("idle");
        assertThat(idle.has("suspended_at")).isTrue();

        api.post(path + "/start", null).expect(200);
        Projects.awaitOperations(api, t.project());
        assertThat(api.get(path).body().get("endpoint").get("current_state").asText()).isEqualTo("active");

        JsonNode restart = api.post(path + "/restart", null).expect(200).body();
        List<String> actions = new ArrayList<>();
        restart.get("operations").forEach(op -> actions.add(op.get("action").asText()));
        assertThat(actions).containsExactly("suspend_compute", "start_compute");
        Projects.awaitOperations(api, t.project());
        assertThat(api.get(path).body().get("endpoint").get("current_state").asText()).isEqualTo("active");
    }

    @Test
    void disabledEndpointsAreStoppedAndCannotStart() {
        Target t = newProject();
        String path = t.endpoints() + "/" + t.endpoint();
        JsonNode disabled = api.patch(path, Map.of("endpoint", Map.of("disabled", true))).expect(200).body();
        assertThat(disabled.get("endpoint").get("disabled").asBoolean()).isTrue();
        assertThat(disabled.get("operations").get(0).get("action").asText()).isEqualTo("suspend_compute");
        Projects.awaitOperations(api, t.project());
        assertThat(api.post(path + "/start", null).expect(409).body().get("message").asText()).contains("disabled");
    }

    @Test
    void aComputeOperationStillRunningMakesStartReturn423() {
        try (TestServer paused = TestServer.start(config -> config.withEngine(config.engine().withWorkers(0)))) {
            ApiClient client = paused.client();
            JsonNode created = Projects.create(client);
            String path = "/projects/" + created.get("project").get("id").asText() + "/endpoints/"
                    + created.get("endpoints").get(0).get("id").asText();
            ApiClient.Response locked = client.post(path + "/suspend", null).expect(423);
            assertThat(locked.body().get("code").asText()).isEqualTo("LOCKED");
            assertThat(client.get(path).body().get("endpoint").get("pending_state").asText()).isEqualTo("active");
        }
    }
}
