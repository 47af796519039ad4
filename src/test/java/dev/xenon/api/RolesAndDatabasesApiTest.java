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

class RolesAndDatabasesApiTest {
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

    private record Target(String project, String branch) {
        String roles() {
            return "/projects/" + project + "/branches/" + branch + "/roles";
        }

        String databases() {
            return "/projects/" + project + "/branches/" + branch + "/databases";
        }
    }

    private static Target newProject(Map<String, Object> settings) {
        JsonNode created = Projects.create(api, settings);
        return new Target(created.get("project").get("id").asText(), created.get("branch").get("id").asText());
    }

    @Test
    void rolesAreCreatedListedRevealedResetAndDeleted() {
        Target t = newProject(Map.of());
        JsonNode created = api.post(t.roles(), Map.of("role", Map.of("name", "app_user"))).expect(201).body();
        String password = created.get("role").get("password").asText();
        assertThat(password).matches("npg_[A-Za-z0-9]{12}");
        assertThat(created.get("operations").get(0).get("action").asText()).isEqualTo("apply_config");
        List<String> names = new ArrayList<>();
        api.get(t.roles()).expect(200).body().get("roles").forEach(r -> {
            names.add(r.get("name").asText());
            assertThat(r.has("password")).isFalse();
        });
        assertThat(names).containsExactly("neondb_owner", "app_user");
        assertThat(api.get(t.roles() + "/app_user").expect(200).body().get("role").get("name").asText())
                .isEqualTo("app_user");
        assertThat(api.get(t.roles() + "/app_user/reveal_password").expect(200).body().get("password").asText())
                .isEqualTo(password);
        String reset = api.post(t.roles() + "/app_user/reset_password", null).expect(200).body()
                .get("role").get("password").asText();
        assertThat(reset).isNotEqualTo(password).startsWith("npg_");
        assertThat(api.get(t.roles() + "/app_user/reveal_password").body().get("password").asText()).isEqualTo(reset);
        api.delete(t.roles() + "/app_user").expect(200);
        api.get(t.roles() + "/app_user").expect(404);
        api.get(t.roles() + "/app_user/reveal_password").expect(404);
    }

    @Test
    void roleRulesAreEnforced() {
        Target t = newProject(Map.of());
        api.post(t.roles(), Map.of("role", Map.of("name", "r".repeat(64)))).expect(400);
        api.post(t.roles(), Map.of("role", Map.of("name", "é".repeat(32)))).expect(400);
        api.post(t.roles(), Map.of("role", Map.of("name", "é".repeat(31)))).expect(201);
        api.post(t.roles(), Map.of("role", Map.of("name", "pg_monitor2"))).expect(400);
        api.post(t.roles(), Map.of("role", Map.of())).expect(400);
        api.post(t.roles(), Map.of("role", Map.of("name", "neondb_owner"))).expect(409);
        api.post("/projects/" + t.project() + "/branches/br-none-none-00000000/roles",
                Map.of("role", Map.of("name", "x"))).expect(404);
        assertThat(api.delete(t.roles() + "/neondb_owner").expect(409).body().get("message").asText())
                .contains("owns");
        JsonNode noLogin = api.post(t.roles(), Map.of("role", Map.of("name", "group_role", "no_login", true)))
                .expect(201).body().get("role");
        assertThat(noLogin.has("password")).isFalse();
    }

    @Test
    void passwordsAreNotRevealedWhenTheProjectDoesNotStoreThem() {
        Target t = newProject(Map.of("store_passwords", false));
        assertThat(api.get(t.roles() + "/neondb_owner/reveal_password").expect(412).body().get("message").asText())
                .contains("store_passwords");
        String reset = api.post(t.roles() + "/neondb_owner/reset_password", null).expect(200).body()
                .get("role").get("password").asText();
        assertThat(reset).startsWith("npg_");
        api.get(t.roles() + "/nobody/reveal_password").expect(404);
    }

    @Test
    void databasesAreCreatedRenamedReownedAndDeleted() {
        Target t = newProject(Map.of());
        api.post(t.roles(), Map.of("role", Map.of("name", "owner2"))).expect(201);
        JsonNode created = api.post(t.databases(), Map.of("database", Map.of("name", "app", "owner_name",
                "neondb_owner"))).expect(201).body();
        assertThat(created.get("database").get("id").asLong()).isPositive();
        assertThat(created.get("operations").get(0).get("action").asText()).isEqualTo("apply_config");
        JsonNode updated = api.patch(t.databases() + "/app", Map.of("database", Map.of("name", "app2",
                "owner_name", "owner2"))).expect(200).body().get("database");
        assertThat(updated.get("name").asText()).isEqualTo("app2");
        assertThat(updated.get("owner_name").asText()).isEqualTo("owner2");
        api.get(t.databases() + "/app").expect(404);
        assertThat(api.get(t.databases() + "/app2").expect(200).body().get("database").get("id").asLong())
                .isEqualTo(created.get("database").get("id").asLong());
        assertThat(api.get(t.databases()).body().get("databases")).hasSize(2);
        assertThat(api.delete(t.roles() + "/owner2").expect(409).body().get("message").asText()).contains("owns");
        api.delete(t.databases() + "/app2").expect(200);
        api.get(t.databases() + "/app2").expect(404);
        api.delete(t.roles() + "/owner2").expect(200);
    }

    @Test
    void databaseRulesAreEnforced() {
        Target t = newProject(Map.of());
        api.post(t.databases(), Map.of("database", Map.of("name", "x", "owner_name", "ghost"))).expect(400);
        api.post(t.databases(), Map.of("database", Map.of("name", "x"))).expect(400);
        api.post(t.databases(), Map.of("database", Map.of("owner_name", "neondb_owner"))).expect(400);
        api.post(t.databases(), Map.of("database", Map.of("name", "neondb", "owner_name", "neondb_owner")))
                .expect(409);
        api.post(t.databases(), Map.of("database", Map.of("name", "template1", "owner_name", "neondb_owner")))
                .expect(400);
        api.post(t.databases(), Map.of("database", Map.of("name", "d".repeat(64), "owner_name", "neondb_owner")))
                .expect(400);
        api.post(t.databases(), "{\"database\": []}").expect(400);
        api.patch(t.databases() + "/neondb", Map.of("database", Map.of("owner_name", "ghost"))).expect(400);
        api.patch(t.databases() + "/missing", Map.of("database", Map.of("name", "y"))).expect(404);
        assertThat(api.get(t.databases()).body().get("databases")).hasSize(1);
    }
}
