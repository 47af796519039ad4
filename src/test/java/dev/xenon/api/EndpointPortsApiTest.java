package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint ports come from the configured range, skip what anything else holds, are not handed out again while a
 * deleted endpoint still holds one, and run out with a conflict rather than a server error.
 */
class EndpointPortsApiTest {
    @Test
    void aPortHeldByAnotherProgramIsSkipped() throws Exception {
        int first = TestServer.freeEndpointPorts(3);
        try (Socket holder = new Socket()) {
            holder.bind(new InetSocketAddress(first));
            try (TestServer server = TestServer.start(
                    c -> c.withEndpoints(c.endpoints().withPorts(first, first + 2)))) {
                int port = endpointPort(Projects.create(server.client()));
                assertThat(port).isEqualTo(first + 1);
                assertThat(accepts(port)).as("the proxy listens on the endpoint's port").isTrue();
            }
        }
    }

    @Test
    void aDeletedEndpointsPortIsNotReusedWhileItsComputeIsBeingStopped() {
        int first = TestServer.freeEndpointPorts(3);
        // No operation workers: the deleted endpoint's suspend stays queued, as while a compute is slow to stop.
        try (TestServer server = TestServer.start(c -> c.withEndpoints(c.endpoints().withPorts(first, first + 2))
                .withEngine(c.engine().withWorkers(0)))) {
            ApiClient api = server.client();
            JsonNode project = Projects.create(api);
            String projectId = project.at("/project/id").asText();
            assertThat(endpointPort(project)).isEqualTo(first);
            api.delete("/projects/" + projectId + "/endpoints/" + project.at("/endpoints/0/id").asText()).expect(200);

            JsonNode created = api.post("/projects/" + projectId + "/endpoints", Map.of("endpoint", Map.of(
                    "branch_id", project.at("/branch/id").asText(), "type", "read_write"))).expect(201).body();
            assertThat(endpointPort(created.get("endpoint"))).isEqualTo(first + 1);
        }
    }

    @Test
    void runningOutOfPortsIsAConflictWithNeonsErrorBody() {
        int first = TestServer.freeEndpointPorts(2);
        try (TestServer server = TestServer.start(c -> c.withEndpoints(c.endpoints().withPorts(first, first + 1)))) {
            ApiClient api = server.client();
            Projects.create(api);
            Projects.create(api);
            JsonNode error = api.post("/projects", Map.of("project", Map.of())).expect(409).body();
            assertThat(error.get("code").asText()).isEqualTo("CONFLICT");
            assertThat(error.get("message").asText()).contains("no endpoint port is free", first + "-" + (first + 1),
                    "--endpoint-ports");
        }
    }

    @Test
    void oneRequestCannotGiveABranchMoreEndpointsThanTheLimit() {
        try (TestServer server = withPorts(20)) {
            ApiClient api = server.client();
            String projectId = Projects.create(api).at("/project/id").asText();
            JsonNode error = api.post("/projects/" + projectId + "/branches",
                    Map.of("endpoints", endpoints(11, true))).expect(409).body();
            assertThat(error.get("message").asText()).contains("the most a branch may have (10)");
            assertThat(api.get("/projects/" + projectId + "/branches").expect(200).body().get("branches"))
                    .as("nothing of the refused request remains").hasSize(1);

            api.post("/projects/" + projectId + "/branches", Map.of("endpoints", endpoints(10, true))).expect(201);
            Projects.create(api);
        }
    }

    @Test
    void aProjectCannotHaveMoreEndpointsThanTheLimit() {
        try (TestServer server = withPorts(110)) {
            ApiClient api = server.client();
            String projectId = Projects.create(api).at("/project/id").asText();
            for (int i = 0; i < 9; i++) {
                api.post("/projects/" + projectId + "/branches", Map.of("endpoints", endpoints(10, false)))
                        .expect(201);
            }
            api.post("/projects/" + projectId + "/branches", Map.of("endpoints", endpoints(9, false))).expect(201);
            JsonNode error = api.post("/projects/" + projectId + "/branches",
                    Map.of("endpoints", endpoints(1, false))).expect(409).body();
            assertThat(error.get("message").asText()).contains("the most a project may have (100)");
            Projects.create(api);
        }
    }

    private static TestServer withPorts(int count) {
        int first = TestServer.freeEndpointPorts(count);
        return TestServer.start(c -> c.withEndpoints(c.endpoints().withPorts(first, first + count - 1)));
    }

    /** One read_write and the rest read_only, as a branch may have only one writer. */
    private static List<Map<String, Object>> endpoints(int count, boolean disabled) {
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        list.add(Map.of("type", "read_write"));
        list.addAll(Collections.nCopies(count - 1, Map.of("type", "read_only")));
        return disabled ? list.stream().map(e -> Map.<String, Object>of("type", e.get("type"), "disabled", true))
                .toList() : list;
    }

    private static int endpointPort(JsonNode projectOrEndpoint) {
        JsonNode endpoint = projectOrEndpoint.has("endpoints") ? projectOrEndpoint.at("/endpoints/0")
                : projectOrEndpoint;
        String host = endpoint.get("host").asText();
        assertThat(host).startsWith("127.0.0.1:");
        return Integer.parseInt(host.substring(host.indexOf(':') + 1));
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
