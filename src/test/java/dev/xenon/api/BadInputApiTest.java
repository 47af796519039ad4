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

/** Whatever a client sends, the answer is a Neon error (4xx) and never a server fault, and nothing changes. */
class BadInputApiTest {
    private static final List<String> BODIES = List.of("", "null", "[]", "{}", "\"text\"", "42", "{\"x\":",
            "{\"project\":null}", "{\"project\":[]}", "{\"project\":\"x\"}", "{\"branch\":{\"name\":{}}}",
            "{\"endpoint\":{\"type\":null}}", "{\"role\":{\"name\":\"\\u0000\"}}",
            "{\"database\":{\"name\":1,\"owner_name\":true}}", "{\"invitations\":[{}]}", "{\"key_name\":null}",
            "{\"project\":{\"settings\":{\"allowed_ips\":{\"ips\":\"1.2.3.4\"}}}}",
            "{\"project\":{\"default_endpoint_settings\":{\"autoscaling_limit_min_cu\":\"big\"}}}",
            "{\"branch\":{\"expires_at\":\"tomorrow\",\"parent_timestamp\":12}}",
            "{\"endpoints\":[{\"type\":\"read_write\",\"suspend_timeout_seconds\":1e99}]}");

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
    void noRouteAnswersBadInputWithAServerError() {
        JsonNode created = Projects.create(api);
        String p = created.at("/project/id").asText();
        String b = created.at("/branch/id").asText();
        String e = created.at("/endpoints/0/id").asText();
        String org = api.get("/users/me/organizations").body().at("/organizations/0/id").asText();
        List<String[]> routes = List.of(
                new String[] {"POST", "/projects"}, new String[] {"PATCH", "/projects/" + p},
                new String[] {"POST", "/projects/" + p + "/branches"},
                new String[] {"PATCH", "/projects/" + p + "/branches/" + b},
                new String[] {"POST", "/projects/" + p + "/branches/" + b + "/restore"},
                new String[] {"POST", "/projects/" + p + "/branches/" + b + "/roles"},
                new String[] {"POST", "/projects/" + p + "/branches/" + b + "/databases"},
                new String[] {"PATCH", "/projects/" + p + "/branches/" + b + "/databases/neondb"},
                new String[] {"POST", "/projects/" + p + "/endpoints"},
                new String[] {"PATCH", "/projects/" + p + "/endpoints/" + e},
                new String[] {"POST", "/api_keys"},
                new String[] {"POST", "/organizations/" + org + "/invitations"},
                new String[] {"POST", "/organizations/" + org + "/api_keys"},
                new String[] {"PATCH", "/organizations/" + org + "/members/00000000-0000-0000-0000-000000000000"});
        // The endpoint's start sets compute_last_active_at when it finishes; let it finish before comparing.
        Projects.awaitOperations(api, p);
        String before = snapshot(p, b);
        List<String> faults = new ArrayList<>();
        for (String[] route : routes) {
            for (String body : BODIES) {
                ApiClient.Response response = api.send(route[0], route[1], body, Map.of());
                if (response.status() >= 500 || response.status() < 400 && !body.equals("{}") && !body.isEmpty()) {
                    faults.add(route[0] + " " + route[1] + " " + body + " -> " + response.status() + " " + response.raw());
                }
            }
        }
        assertThat(faults).as("responses to bad input").allSatisfy(f -> assertThat(f).doesNotContain("-> 5"));
        assertThat(snapshot(p, b)).isEqualTo(before);
    }

    @Test
    void oddPathParametersAreNotFoundOrRefused() {
        for (String id : List.of("%00", "..", "a".repeat(300), "%F0%9F%98%80", "'%20or%201=1", "br-x%2Fy")) {
            for (String path : List.of("/projects/" + id, "/projects/" + id + "/branches/" + id,
                    "/projects/" + id + "/operations/" + id, "/api_keys/" + id, "/organizations/" + id)) {
                int status = api.sendOutsideSpec("GET", path, null).status();
                assertThat(status).as("GET %s", path).isBetween(400, 499);
            }
        }
    }

    private static String snapshot(String project, String branch) {
        return api.get("/projects/" + project).body().at("/project").toString().replaceAll("\"updated_at\":\"[^\"]*\"", "")
                + api.get("/projects/" + project + "/branches/" + branch + "/roles").body()
                + api.get("/projects/" + project + "/branches/" + branch + "/databases").body()
                + api.get("/projects/" + project + "/endpoints").body().get("endpoints").size()
                + api.get("/api_keys").body().size();
    }
}
