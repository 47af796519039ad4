package dev.xenon.testing;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** SpecCheck against Neon's real OpenAPI document, with small hand-written bodies. */
class SpecCheckTest {
    private static final SpecCheck SPEC = SpecCheck.shared();

    private static final String OPERATION = """
            {"id":"d8ac46eb-a757-42b1-9907-f78322ee394e","project_id":"spring-example-302709",
             "branch_id":"br-wispy-meadow-118737","endpoint_id":"ep-silent-smoke-806639",
             "action":"start_compute","status":"finished","failures_count":0,
             "created_at":"2022-11-08T23:33:16Z","updated_at":"2022-11-08T23:33:20Z","total_duration_ms":4}""";

    private static final String OPERATION_PATH = "/projects/spring-example-302709/operations/d8ac46eb-a757-42b1-9907-f78322ee394e";

    private static String operationWith(String from, String to) {
        String changed = OPERATION.replace(from, to);
        assertThat(changed).as("fixture edit %s -> %s", from, to).isNotEqualTo(OPERATION);
        return "{\"operation\":" + changed + "}";
    }

    @Test
    void validOperationResponsePasses() {
        assertThatCode(() -> SPEC.check("GET", OPERATION_PATH, 200, "{\"operation\":" + OPERATION + "}"))
                .doesNotThrowAnyException();
    }

    @Test
    void missingRequiredFieldFailsNamingRouteFieldAndRule() {
        String body = operationWith("\"failures_count\":0,", "");
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200, body))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET " + OPERATION_PATH)
                .hasMessageContaining("/projects/{project_id}/operations/{operation_id}")
                .hasMessageContaining("getProjectOperation")
                .hasMessageContaining("status 200")
                .hasMessageContaining("$.operation")
                .hasMessageContaining("required")
                .hasMessageContaining("failures_count");
    }

    @Test
    void nullWhereNotNullableFails() {
        String body = operationWith("\"branch_id\":\"br-wispy-meadow-118737\"", "\"branch_id\":null");
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200, body))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("$.operation.branch_id")
                .hasMessageContaining("null found, string expected");
    }

    @Test
    void nullableFieldAcceptsNull() {
        String key = """
                [{"id":165432,"name":"mykey_1","created_at":"2022-11-15T20:13:35Z",
                  "created_by":{"id":"629982cc-de05-43db-ae16-28f2399c4910","name":"John Smith","image":""},
                  "last_used_at":null,"last_used_from_addr":""}]""";
        assertThatCode(() -> SPEC.check("GET", "/api_keys", 200, key)).doesNotThrowAnyException();
        // ...but a nullable string still has to be a date-time when present.
        assertThatThrownBy(() -> SPEC.check("GET", "/api_keys", 200, key.replace("\"last_used_at\":null",
                "\"last_used_at\":\"yesterday\"")))
                .hasMessageContaining("$[0].last_used_at")
                .hasMessageContaining("date-time");
    }

    private static final String PROJECT_LIST_ITEM = """
            {"id":"shiny-wind-028834","platform_id":"aws","region_id":"aws-us-east-2","name":"shiny-wind-028834",
             "provisioner":"k8s-pod","pg_version":17,"proxy_host":"us-east-2.aws.neon.tech",
             "branch_logical_size_limit":0,"branch_logical_size_limit_bytes":10800332800,"store_passwords":true,
             "active_time":100,"cpu_used_sec":0,"creation_source":"console","created_at":"2022-12-13T01:30:55Z",
             "updated_at":"2022-12-13T01:30:55Z","owner_id":"user-1","effective_project_permission":"CAN_VIEW"}""";

    @Test
    void nullableViaAllOfAcceptsNullButStillChecksTheEnum() {
        // effective_project_permission is {type: string, allOf: [$ref ProjectPermissionLevel], nullable: true}.
        String list = "{\"projects\":[" + PROJECT_LIST_ITEM + "]}";
        assertThatCode(() -> SPEC.check("GET", "/projects/shared", 200, list)).doesNotThrowAnyException();
        assertThatCode(() -> SPEC.check("GET", "/projects/shared", 200,
                list.replace("\"CAN_VIEW\"", "null"))).doesNotThrowAnyException();
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/shared", 200,
                list.replace("\"CAN_VIEW\"", "\"CAN_FLY\"")))
                .hasMessageContaining("$.projects[0].effective_project_permission")
                .hasMessageContaining("enum");
        // Integers: a fraction or a string is not an int64; a negative value breaks minimum: 0.
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/shared", 200, list.replace("\"active_time\":100",
                "\"active_time\":1.5"))).hasMessageContaining("$.projects[0].active_time");
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/shared", 200, list.replace("\"active_time\":100",
                "\"active_time\":-1"))).hasMessageContaining("$.projects[0].active_time")
                .hasMessageContaining("minimum");
        // PgVersion is an integer enum 14..18.
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/shared", 200, list.replace("\"pg_version\":17",
                "\"pg_version\":13"))).hasMessageContaining("$.projects[0].pg_version");
    }

    @Test
    void wrongEnumValueFails() {
        String body = operationWith("\"status\":\"finished\"", "\"status\":\"done\"");
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200, body))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("$.operation.status")
                .hasMessageContaining("enum");
    }

    @Test
    void formatsAndPatternsAreChecked() {
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200,
                operationWith("d8ac46eb-a757-42b1-9907-f78322ee394e", "not-a-uuid")))
                .hasMessageContaining("$.operation.id").hasMessageContaining("uuid");
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200,
                operationWith("\"created_at\":\"2022-11-08T23:33:16Z\"", "\"created_at\":\"2022-11-08\"")))
                .hasMessageContaining("$.operation.created_at").hasMessageContaining("date-time");
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200,
                operationWith("\"project_id\":\"spring-example-302709\"", "\"project_id\":\"Spring_Example\"")))
                .hasMessageContaining("$.operation.project_id").hasMessageContaining("pattern");
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200,
                operationWith("\"total_duration_ms\":4", "\"total_duration_ms\":\"4\"")))
                .hasMessageContaining("$.operation.total_duration_ms")
                .hasMessageContaining("string found, integer expected");
        // format: int32 / int64 bound the width.
        assertThatThrownBy(() -> SPEC.check("GET", OPERATION_PATH, 200,
                operationWith("\"total_duration_ms\":4", "\"total_duration_ms\":1099511627776")))
                .hasMessageContaining("$.operation.total_duration_ms").hasMessageContaining("int32");
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/shared", 200, "{\"projects\":["
                + PROJECT_LIST_ITEM.replace("\"active_time\":100", "\"active_time\":18446744073709551616") + "]}"))
                .hasMessageContaining("$.projects[0].active_time").hasMessageContaining("int64");
    }

    @Test
    void errorBodyWithoutMessageFailsAgainstGeneralError() {
        assertThatCode(() -> SPEC.check("GET", "/projects/nope-123", 404,
                "{\"code\":\"\",\"message\":\"project not found\",\"request_id\":\"r-1\"}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/nope-123", 404, "{\"code\":\"NOT_FOUND\"}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("GET /projects/nope-123")
                .hasMessageContaining("status 404")
                .hasMessageContaining("default")
                .hasMessageContaining("GeneralError")
                .hasMessageContaining("message");
        assertThatThrownBy(() -> SPEC.check("DELETE", "/projects/nope-123", 500, ""))
                .hasMessageContaining("body is empty");
    }

    @Test
    void undeclaredSuccessStatusFails() {
        // createProject declares 201 (and default); a 200 is a drift even with a well-formed body.
        assertThatThrownBy(() -> SPEC.check("POST", "/projects", 200, "{}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("createProject")
                .hasMessageContaining("200")
                .hasMessageContaining("declared: 201, default");
    }

    @Test
    void statusWithoutBodyAcceptsEmptyOnly() {
        String path = "/projects/p-1/branches/br-1/databases/db1";
        SPEC.check("DELETE", path, 204, "");
        SPEC.check("DELETE", path, 204, null);
        assertThatThrownBy(() -> SPEC.check("DELETE", path, 204, "{}"))
                .hasMessageContaining("declares no body");
    }

    @Test
    void unknownPathOrMethodFails() {
        assertThatThrownBy(() -> SPEC.check("GET", "/no/such/route", 200, "{}"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no operation matches GET /no/such/route");
        assertThatThrownBy(() -> SPEC.check("PUT", "/projects", 200, "{}"))
                .hasMessageContaining("no operation matches PUT /projects")
                .hasMessageContaining("/projects has GET, POST");
    }

    @Test
    void literalSegmentsWinOverTemplates() {
        assertThat(SPEC.operationId("GET", "/projects/shared?limit=1")).isEqualTo("listSharedProjects");
        assertThat(SPEC.operationId("GET", "/projects/shared-thing-123")).isEqualTo("getProject");
        assertThat(SPEC.operationId("GET", "/projects/p-1/branches/count")).isEqualTo("countProjectBranches");
        assertThat(SPEC.operationId("GET", "/projects/p-1/branches/br-1")).isEqualTo("getProjectBranch");
        // And the body is checked against the operation that matched: a list, not a single project.
        assertThatCode(() -> SPEC.check("GET", "/projects/shared", 200,
                "{\"projects\":[],\"pagination\":{\"cursor\":\"c1\"}}")).doesNotThrowAnyException();
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/abc-123", 200, "{\"projects\":[]}"))
                .hasMessageContaining("getProject")
                .hasMessageContaining("project");
    }

    @Test
    void queryAndApiBaseAreIgnoredForRouting() {
        assertThat(SPEC.operationId("GET", "/projects?limit=2&cursor=x")).isEqualTo("listProjects");
        assertThat(SPEC.operationId("get", "/api/v2/projects/p-1/operations")).isEqualTo("listProjectOperations");
    }

    @Test
    void yamlAnchorsAndAliasesAreResolved() {
        var tree = SpecCheck.readYaml("""
                a: &shared {type: integer, format: int32}
                b: *shared
                when: 2022-11-08T23:33:16Z
                200: {flag: true, none: null, ratio: 0.25, text: '017'}
                """);
        assertThat(tree.path("b").path("type").asText()).isEqualTo("integer");
        assertThat(tree.path("when").isTextual()).isTrue();
        assertThat(tree.path("200").path("flag").booleanValue()).isTrue();
        assertThat(tree.path("200").path("none").isNull()).isTrue();
        assertThat(tree.path("200").path("ratio").decimalValue()).isEqualByComparingTo("0.25");
        assertThat(tree.path("200").path("text").asText()).isEqualTo("017");
        // The spec itself aliases Project.history_retention_seconds to ProjectListItem's: an integer, int32.
        assertThatThrownBy(() -> SPEC.check("GET", "/projects/p-1", 200,
                "{\"project\":{\"history_retention_seconds\":\"a day\"}}"))
                .hasMessageContaining("$.project.history_retention_seconds")
                .hasMessageContaining("string found, integer expected");
    }

    @Test
    void missingSpecSaysHowToInstallIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path empty) {
        assertThatThrownBy(() -> SpecCheck.locateSpec(empty, null))
                .hasMessageContaining("npm ci")
                .hasMessageContaining("e2e/");
        assertThat(SpecCheck.locateSpec(SPEC.specFile().getParent(), SPEC.specFile().toString()))
                .isEqualTo(SPEC.specFile());
    }

    @Test
    void validatingIsFastOnceCompiled() {
        String body = "{\"operation\":" + OPERATION + "}";
        SPEC.check("GET", OPERATION_PATH, 200, body);
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            SPEC.check("GET", OPERATION_PATH, 200, body);
        }
        long perCallMicros = (System.nanoTime() - start) / 1_000 / 1_000;
        assertThat(perCallMicros).as("µs per check").isLessThan(2_000);
    }
}
