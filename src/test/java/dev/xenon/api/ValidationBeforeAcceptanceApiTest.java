package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the data plane would reject, or what would reach the host, is a 400 in Neon's error shape before anything
 * is stored (issue #10, findings 1, 2 and 6): nothing changes, and no compute is ever asked to start with it.
 */
class ValidationBeforeAcceptanceApiTest {
    private static TestServer server;
    private static ApiClient api;
    private static String project;
    private static String branch;
    private static String endpoint;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.client();
        JsonNode created = Projects.create(api);
        project = created.at("/project/id").asText();
        branch = created.at("/branch/id").asText();
        endpoint = created.at("/endpoints/0/id").asText();
        Projects.awaitOperations(api, project);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"archive_cleanup_command", "recovery_end_command", "restore_command", "archive_command",
            "archive_library", "log_directory", "shared_preload_libraries", "ssl_passphrase_command"})
    void settingsThatReachTheHostAreRefusedEverywhereASettingIsAccepted(String setting) {
        String before = snapshot();
        Map<String, Object> pg = Map.of("pg_settings", Map.of(setting, "id > /tmp/proof"));
        refused(api.post("/projects/" + project + "/endpoints", Map.of("endpoint", Map.of("branch_id", branch,
                "type", "read_only", "settings", pg))), "setting " + setting + " is refused: it ");
        refused(api.patch("/projects/" + project + "/endpoints/" + endpoint, Map.of("endpoint",
                Map.of("settings", pg))), "setting " + setting + " is refused: it ");
        refused(api.post("/projects", Map.of("project", Map.of("default_endpoint_settings", pg))),
                "setting " + setting + " is refused: it ");
        refused(api.patch("/projects/" + project, Map.of("project", Map.of("default_endpoint_settings", pg))),
                "setting " + setting + " is refused: it ");
        refused(api.post("/projects/" + project + "/branches", Map.of("branch", Map.of(), "endpoints",
                java.util.List.of(Map.of("type", "read_write", "settings", pg)))), "is refused");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"no_such_setting\":\"1\"}", "{\"a b; drop\":\"1\"}", "{\"work_mem\":\"1\"}",
            "{\"statement_timeout\":\"-5\"}", "{\"synchronous_commit\":\"sometimes\"}", "{\"jit\":\"maybe\"}",
            "{\"TimeZone\":\"Mars/Olympus\"}", "{\"vacuum_buffer_usage_limit\":\"64kB\"}",
            "{\"work_mem\":\"4MB\",\"WORK_MEM\":\"8MB\"}"})
    void invalidSettingsAreRefusedNamingTheSetting(String settings) {
        String before = snapshot();
        String name = settings.substring(2, settings.indexOf('"', 2));
        ApiClient.Response response = api.send("POST", "/projects/" + project + "/endpoints",
                "{\"endpoint\":{\"branch_id\":\"" + branch + "\",\"type\":\"read_only\",\"settings\":{\"pg_settings\":"
                        + settings + "}}}", Map.of());
        refused(response, "endpoint.settings.pg_settings: ");
        assertThat(response.body().get("message").asText()).contains(name);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void validSettingsAreAcceptedAndKeptAsGiven() {
        Map<String, String> pg = Map.of("work_mem", "8MB", "statement_timeout", "30s", "search_path",
                "\"$user\", public", "TimeZone", "Europe/Paris", "synchronous_commit", "off");
        JsonNode created = api.post("/projects/" + project + "/endpoints", Map.of("endpoint", Map.of(
                "branch_id", branch, "type", "read_only", "disabled", true, "settings", Map.of("pg_settings", pg))))
                .expect(201).body();
        assertThat(created.at("/endpoint/settings/pg_settings")).hasSize(5);
        api.delete("/projects/" + project + "/endpoints/" + created.at("/endpoint/id").asText()).expect(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"public", "none", "current_user", "current_role", "session_user", "PUBLIC",
            "pg_monitor", "xenon_admin", "neon_superuser", "postgres"})
    void reservedRoleNamesAreRefused(String name) {
        String before = snapshot();
        refused(api.post("/projects/" + project + "/branches/" + branch + "/roles", Map.of("role",
                Map.of("name", name))), "role.name");
        refused(api.post("/projects", Map.of("project", Map.of("branch", Map.of("role_name", name)))),
                "project.branch.role_name");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"postgres", "template0", "template1", "xenon_spare"})
    void reservedDatabaseNamesAreRefused(String name) {
        String before = snapshot();
        refused(api.post("/projects/" + project + "/branches/" + branch + "/databases", Map.of("database",
                Map.of("name", name, "owner_name", "neondb_owner"))), "database.name '" + name + "' is reserved");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void identifiersAreLimitedTo63BytesNotCharacters() {
        String before = snapshot();
        String twoByte = "é".repeat(32); // 32 characters, 64 bytes
        refused(api.post("/projects/" + project + "/branches/" + branch + "/roles", Map.of("role",
                Map.of("name", twoByte))), "role.name must be 1 to 63 bytes long");
        refused(api.post("/projects/" + project + "/branches/" + branch + "/databases", Map.of("database",
                Map.of("name", twoByte, "owner_name", "neondb_owner"))), "database.name must be 1 to 63 bytes");
        assertThat(snapshot()).isEqualTo(before);
        String fits = "é".repeat(31) + "a"; // 63 bytes
        api.post("/projects/" + project + "/branches/" + branch + "/roles", Map.of("role", Map.of("name", fits)))
                .expect(201);
        api.delete("/projects/" + project + "/branches/" + branch + "/roles/"
                + java.net.URLEncoder.encode(fits, java.nio.charset.StandardCharsets.UTF_8)).expect(200);
    }

    @Test
    void nulBytesAnywhereAreA400NotA500() {
        String before = snapshot();
        refused(api.send("POST", "/projects", "{\"project\":{\"name\":\"a\\u0000b\"}}", Map.of()),
                "project.name contains a NUL character");
        refused(api.send("PATCH", "/projects/" + project, "{\"project\":{\"name\":\"a\\u0000b\"}}", Map.of()),
                "project.name contains a NUL character");
        refused(api.send("PATCH", "/projects/" + project + "/endpoints/" + endpoint,
                "{\"endpoint\":{\"settings\":{\"pg_settings\":{\"application_name\":\"a\\u0000\"}}}}", Map.of()),
                "endpoint.settings.pg_settings.application_name contains a NUL character");
        refused(api.send("PATCH", "/projects/" + project + "/endpoints/" + endpoint,
                "{\"endpoint\":{\"settings\":{\"pg_settings\":{\"work\\u0000mem\":\"1\"}}}}", Map.of()),
                "a field name in endpoint.settings.pg_settings contains a NUL character");
        refused(api.send("POST", "/projects/" + project + "/branches",
                "{\"branch\":{\"name\":\"\\u0000\"}}", Map.of()), "branch.name contains a NUL character");
        refused(api.get("/projects?search=a%00b"), "query parameter search contains a NUL character");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aBodyTooLargeIs413InNeonsErrorShape() {
        String before = snapshot();
        String huge = "{\"project\":{\"name\":\"" + "x".repeat(2_000_000) + "\"}}";
        ApiClient.Response response = api.send("POST", "/projects", huge, Map.of());
        assertThat(response.status()).isEqualTo(413);
        neonError(response, "PAYLOAD_TOO_LARGE");
        assertThat(snapshot()).isEqualTo(before);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "application/x-www-form-urlencoded", "application/xml"})
    void aBodyThatIsNotJsonIs415InNeonsErrorShape(String contentType) {
        String before = snapshot();
        ApiClient.Response response = api.send("POST", "/projects", "{\"project\":{\"name\":\"typed\"}}",
                Map.of("Content-Type", contentType));
        assertThat(response.status()).isEqualTo(415);
        neonError(response, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(response.body().get("message").asText()).contains(contentType);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void jsonWithACharsetIsJson() {
        JsonNode created = api.send("POST", "/projects", "{\"project\":{\"name\":\"charset\"}}",
                Map.of("Content-Type", "application/json; charset=utf-8")).expect(201).body();
        api.delete("/projects/" + created.at("/project/id").asText()).expect(200);
    }

    private static void refused(ApiClient.Response response, String message) {
        assertThat(response.status()).as("status of %s", response.raw()).isEqualTo(400);
        neonError(response, "BAD_REQUEST");
        assertThat(response.body().get("message").asText()).contains(message);
    }

    private static void neonError(ApiClient.Response response, String code) {
        assertThat(response.body().get("code").asText()).isEqualTo(code);
        assertThat(response.body().get("message").asText()).isNotBlank();
        assertThat(response.body().get("request_id").asText()).isNotBlank();
        assertThat(response.body().size()).isEqualTo(3);
    }

    private static String snapshot() {
        return api.get("/projects?limit=400").body().get("projects").toString()
                .replaceAll("\"updated_at\":\"[^\"]*\"", "").replaceAll("\"compute_last_active_at\":\"[^\"]*\"", "")
                + api.get("/projects/" + project + "/branches").body().get("branches").size()
                + api.get("/projects/" + project + "/branches/" + branch + "/roles").body()
                + api.get("/projects/" + project + "/branches/" + branch + "/databases").body()
                + api.get("/projects/" + project + "/endpoints").body().get("endpoints");
    }
}
