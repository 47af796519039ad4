package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.control.users.Bootstrap;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Drives the real neonctl 5.0.1 (pinned in {@code e2e/package.json}) against one Xenon server, command by command,
 * in the order a user would: identity, projects, branches, databases and roles, connection strings, IP allow
 * lists, API keys, and finally deleting the project. Each step builds on the state the previous ones left.
 *
 * <p>Needs {@code node} (20.19 or newer) on PATH and {@code npm ci} run in {@code e2e/}; the class fails, rather
 * than skips, when either is missing, so CI cannot silently lose this coverage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NeonctlScenarioTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long COMMAND_TIMEOUT_SECONDS = 60;
    private static final Path E2E_DIR = Path.of(System.getProperty("user.dir"), "e2e").toAbsolutePath().normalize();
    private static final Path NEONCTL = E2E_DIR.resolve("node_modules/neonctl/bin/cli.js");

    private TestServer server;
    private Path home;

    private String orgId;
    private String projectId;
    private String ownerPassword;
    private String mainBranchId;
    private String featureBranchId;
    private String appUserPassword;

    @BeforeAll
    void start() throws IOException {
        requireNeonctl();
        home = Files.createTempDirectory("xenon-neonctl-");
        server = TestServer.start(TestServer.withLocalDataPlane());
    }

    @AfterAll
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
        if (home != null) {
            try (Stream<Path> files = Files.walk(home)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------- identity

    @Test
    @Order(10)
    void me() {
        JsonNode me = neonctl("me").json();
        assertThat(me.path("email").asText()).isEqualTo(Bootstrap.ADMIN_EMAIL);
        assertThat(me.path("login").asText()).isNotEmpty();
        assertThat(me.path("id").asText()).matches("[0-9a-f-]{36}");
    }

    @Test
    @Order(20)
    void orgsList() {
        JsonNode orgs = neonctl("orgs", "list").json();
        assertThat(orgs.isArray()).as("orgs list prints an array: %s", orgs).isTrue();
        assertThat(orgs).hasSize(1);
        orgId = orgs.get(0).path("id").asText();
        assertThat(orgId).startsWith("org-");
        assertThat(orgs.get(0).path("name").asText()).isNotEmpty();
    }

    // ---------------------------------------------------------------- projects

    @Test
    @Order(100)
    void projectsListStartsEmpty() {
        JsonNode out = neonctl("projects", "list").json();
        assertThat(ids(out.path("projects"))).isEmpty();
        assertThat(ids(out.path("shared_with_you"))).isEmpty();
    }

    @Test
    @Order(110)
    void projectsCreate() {
        JsonNode out = neonctl("projects", "create", "--name", "e2e-alpha").json();
        JsonNode project = out.path("project");
        projectId = project.path("id").asText();
        assertThat(projectId).matches("[a-z0-9-]{1,60}");
        assertThat(project.path("name").asText()).isEqualTo("e2e-alpha");
        assertThat(project.path("org_id").asText()).isEqualTo(orgId);

        JsonNode uri = out.path("connection_uris").path(0);
        JsonNode parameters = uri.path("connection_parameters");
        assertThat(parameters.path("role").asText()).isEqualTo("neondb_owner");
        assertThat(parameters.path("database").asText()).isEqualTo("neondb");
        ownerPassword = parameters.path("password").asText();
        assertThat(ownerPassword).isNotEmpty();
        assertThat(uri.path("connection_uri").asText())
                .startsWith("postgresql://neondb_owner:" + ownerPassword + "@" + parameters.path("host").asText()
                        + "/neondb?");
    }

    @Test
    @Order(120)
    void projectsListShowsTheNewProject() {
        assertThat(ids(neonctl("projects", "list").json().path("projects"))).containsExactly(projectId);
        // With --org-id there is a single output chunk, printed as a bare array.
        assertThat(ids(neonctl("projects", "list", "--org-id", orgId).json())).containsExactly(projectId);
    }

    @Test
    @Order(130)
    void projectsGet() {
        JsonNode project = neonctl("projects", "get", projectId).json();
        assertThat(project.path("id").asText()).isEqualTo(projectId);
        assertThat(project.path("name").asText()).isEqualTo("e2e-alpha");
        assertThat(project.path("pg_version").asInt()).isEqualTo(17);
    }

    @Test
    @Order(140)
    void projectsUpdateRenames() {
        JsonNode updated = neonctl("projects", "update", projectId, "--name", "e2e-renamed").json();
        assertThat(updated.path("name").asText()).isEqualTo("e2e-renamed");
        assertThat(neonctl("projects", "get", projectId).json().path("name").asText()).isEqualTo("e2e-renamed");
    }

    // ---------------------------------------------------------------- branches

    @Test
    @Order(200)
    void branchesListHasTheDefaultBranch() {
        // No --project-id: neonctl resolves the only project itself (GET /users/me/organizations, GET /projects).
        JsonNode branches = neonctl("branches", "list").json();
        assertThat(names(branches)).containsExactly("main");
        JsonNode main = branches.get(0);
        assertThat(main.path("default").asBoolean()).isTrue();
        mainBranchId = main.path("id").asText();
        // neonctl treats only br-<a>-<b>-<c> as an id; anything else would be looked up as a name.
        assertThat(mainBranchId).matches("br-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+");
    }

    @Test
    @Order(210)
    void branchesCreate() {
        JsonNode out = inProject("branches", "create", "--name", "feature").json();
        JsonNode branch = out.path("branch");
        featureBranchId = branch.path("id").asText();
        assertThat(branch.path("name").asText()).isEqualTo("feature");
        assertThat(branch.path("parent_id").asText()).isEqualTo(mainBranchId);
        assertThat(branch.path("default").asBoolean()).isFalse();
        assertThat(out.path("endpoints")).hasSize(1);
        assertThat(out.path("endpoints").get(0).path("id").asText()).startsWith("ep-");

        JsonNode branches = inProject("branches", "list").json();
        assertThat(names(branches)).containsExactlyInAnyOrder("main", "feature");
    }

    @Test
    @Order(220)
    void operationsListShowsTheBranchCreation() {
        JsonNode operations = inProject("operations", "list").json();
        assertThat(operations.isArray()).as("operations list prints an array: %s", operations).isTrue();
        assertThat(stream(operations))
                .anySatisfy(op -> {
                    assertThat(op.path("action").asText()).isEqualTo("create_branch");
                    assertThat(op.path("branch_id").asText()).isEqualTo(featureBranchId);
                })
                .allSatisfy(op -> {
                    assertThat(op.path("id").asText()).matches("[0-9a-f-]{36}");
                    assertThat(op.path("status").asText()).isIn("scheduling", "running", "finished");
                    assertThat(op.path("created_at").asText()).isNotEmpty();
                });
    }

    @Test
    @Order(230)
    void branchesGetByNameAndId() {
        JsonNode byName = inProject("branches", "get", "feature").json();
        assertThat(byName.path("id").asText()).isEqualTo(featureBranchId);
        JsonNode byId = inProject("branches", "get", featureBranchId).json();
        assertThat(byId.path("name").asText()).isEqualTo("feature");
    }

    @Test
    @Order(235)
    void connectionStringOfANamedBranchUsesItsOwnEndpoint() {
        URI uri = URI.create(inProject("connection-string", "feature").stdout().strip());
        assertThat(uri.getUserInfo()).isEqualTo("neondb_owner:" + ownerPassword);
        assertThat(uri.getPath()).isEqualTo("/neondb");
        String featureHost = endpointHostOf(featureBranchId);
        assertThat(uri.getHost() + ":" + uri.getPort()).isEqualTo(featureHost).isNotEqualTo(endpointHostOf(mainBranchId));
    }

    @Test
    @Order(240)
    void branchesRename() {
        JsonNode renamed = inProject("branches", "rename", "feature", "feature-2").json();
        assertThat(renamed.path("id").asText()).isEqualTo(featureBranchId);
        assertThat(renamed.path("name").asText()).isEqualTo("feature-2");

        assertThat(inProject("branches", "get", featureBranchId).json().path("name").asText())
                .isEqualTo("feature-2");
        assertThat(inProject("branches", "get", "feature-2").json().path("id").asText()).isEqualTo(featureBranchId);
        assertThat(inProject("branches", "get", "feature").fails().stderr()).contains("Branch feature not found");
    }

    @Test
    @Order(250)
    void branchesSetDefault() {
        JsonNode branch = inProject("branches", "set-default", "feature-2").json();
        assertThat(branch.path("id").asText()).isEqualTo(featureBranchId);
        assertThat(branch.path("default").asBoolean()).isTrue();

        assertThat(inProject("branches", "get", "feature-2").json().path("default").asBoolean()).isTrue();
        assertThat(inProject("branches", "get", "main").json().path("default").asBoolean()).isFalse();
        // The default branch cannot be deleted.
        assertThat(inProject("branches", "delete", "feature-2").fails().stderr()).contains("default branch");

        assertThat(inProject("branches", "set-default", mainBranchId).json().path("default").asBoolean()).isTrue();
        assertThat(inProject("branches", "get", "feature-2").json().path("default").asBoolean()).isFalse();
    }

    @Test
    @Order(260)
    void branchesDelete() {
        JsonNode deleted = inProject("branches", "delete", "feature-2").json();
        assertThat(deleted.path("id").asText()).isEqualTo(featureBranchId);

        assertThat(names(inProject("branches", "list").json())).containsExactly("main");
        assertThat(inProject("branches", "get", featureBranchId).fails().stderr()).contains("not found");
    }

    @Test
    @Order(270)
    void branchesCreateProtectedAndFromATimestamp() {
        JsonNode guarded = inProject("branches", "create", "--name", "guarded", "--protected").json().path("branch");
        assertThat(guarded.path("protected").asBoolean()).isTrue();
        assertThat(inProject("branches", "get", "guarded").json().path("protected").asBoolean()).isTrue();
        assertThat(inProject("branches", "delete", "guarded").fails().stderr()).contains("protected");

        String timestamp = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        // With --no-compute the branch is the only output chunk, so neonctl prints it bare.
        JsonNode asOf = inProject("branches", "create", "--name", "as-of", "--parent", timestamp, "--no-compute")
                .json();
        assertThat(asOf.path("name").asText()).isEqualTo("as-of");
        assertThat(asOf.path("parent_id").asText()).isEqualTo(mainBranchId);
        assertThat(Instant.parse(asOf.path("parent_timestamp").asText())).isEqualTo(Instant.parse(timestamp));
        assertThat(inProject("connection-string", "as-of").fails().stderr()).contains("endpoint found");
        // Both stay until the project is deleted, which must take them with it.
        assertThat(names(inProject("branches", "list").json())).containsExactlyInAnyOrder("main", "guarded", "as-of");
    }

    @Test
    @Order(280)
    void branchesResetToTheParent() {
        // as-of has no compute; reset restores it to its parent's head (POST .../restore with the parent as source).
        JsonNode reset = inProject("branches", "reset", "as-of", "--parent").json();
        assertThat(reset.path("name").asText()).isEqualTo("as-of");
        assertThat(reset.path("last_reset_at").asText()).isNotEmpty();
        assertThat(inProject("branches", "get", "as-of").json().path("parent_id").asText()).isEqualTo(mainBranchId);
        assertThat(inProject("branches", "reset", "as-of").fails().stderr()).contains("Only resetting to parent");
    }

    @Test
    @Order(285)
    void branchesRestoreFromTheParentAndFromItsOwnPast() throws Exception {
        JsonNode fromParent = inProject("branches", "restore", "as-of", "^parent").json();
        assertThat(fromParent.path("id").asText()).isEqualTo(inProject("branches", "get", "as-of").json()
                .path("id").asText());
        assertThat(fromParent.path("last_reset_at").asText()).isNotEmpty();

        String main = inProject("connection-string", "main").stdout().strip();
        psql(main, "create table restore_probe (v text); insert into restore_probe values ('kept')");
        Thread.sleep(1100);
        // neonctl takes timestamps to the millisecond at most.
        String before = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
        Thread.sleep(1100);
        psql(main, "insert into restore_probe values ('undone')");

        JsonNode restored = inProject("branches", "restore", "main", "^self@" + before,
                "--preserve-under-name", "main-before-restore").json();
        // Two output chunks: the restored branch and its backup (the restored branch's new parent).
        assertThat(restored.path("restored_branch").path("id").asText()).isEqualTo(mainBranchId);
        assertThat(restored.path("restored_branch").path("last_reset_at").asText()).isNotEmpty();
        assertThat(restored.path("backup_branch").path("name").asText()).isEqualTo("main-before-restore");
        assertThat(psql(main, "select string_agg(v, ',' order by v) from restore_probe")).isEqualTo("kept");
        assertThat(inProject("branches", "restore", "main", "^self@" + before).fails().stderr())
                .contains("preserve_under_name");
        assertThat(names(inProject("branches", "list").json()))
                .containsExactlyInAnyOrder("main", "guarded", "as-of", "main-before-restore");
    }

    // ---------------------------------------------------------------- connection string, databases, roles

    @Test
    @Order(300)
    void connectionStringOfTheDefaultBranch() throws Exception {
        String printed = inProject("connection-string").stdout().strip();
        URI uri = URI.create(printed);
        assertThat(psql(printed, "select current_user || '@' || current_database()")).isEqualTo("neondb_owner@neondb");
        assertThat(uri.getScheme()).isEqualTo("postgresql");
        assertThat(uri.getUserInfo()).isEqualTo("neondb_owner:" + ownerPassword);
        assertThat(uri.getPath()).isEqualTo("/neondb");
        assertThat(uri.getHost() + ":" + uri.getPort()).isEqualTo(endpointHostOf(mainBranchId));
        assertThat(uri.getQuery()).contains("sslmode=require");

        JsonNode extended = inProject("connection-string", "main", "--extended").json();
        assertThat(extended.path("role").asText()).isEqualTo("neondb_owner");
        assertThat(extended.path("database").asText()).isEqualTo("neondb");
        assertThat(extended.path("password").asText()).isEqualTo(ownerPassword);
        assertThat(extended.path("host").asText()).isEqualTo(endpointHostOf(mainBranchId));
    }

    @Test
    @Order(310)
    void databasesAndRolesListTheDefaults() {
        JsonNode databases = inProject("databases", "list").json();
        assertThat(names(databases)).containsExactly("neondb");
        assertThat(databases.get(0).path("owner_name").asText()).isEqualTo("neondb_owner");
        assertThat(names(inProject("roles", "list").json())).containsExactly("neondb_owner");
    }

    @Test
    @Order(320)
    void databasesCreateWithTheOnlyRoleAsOwner() {
        JsonNode database = inProject("databases", "create", "--name", "appdb").json();
        assertThat(database.path("name").asText()).isEqualTo("appdb");
        assertThat(database.path("owner_name").asText()).isEqualTo("neondb_owner");
        assertThat(names(inProject("databases", "list").json())).containsExactlyInAnyOrder("neondb", "appdb");
    }

    @Test
    @Order(330)
    void rolesCreate() {
        JsonNode role = inProject("roles", "create", "--name", "app_user").json();
        assertThat(role.path("name").asText()).isEqualTo("app_user");
        appUserPassword = role.path("password").asText();
        assertThat(appUserPassword).isNotEmpty();
        assertThat(names(inProject("roles", "list").json())).containsExactlyInAnyOrder("neondb_owner", "app_user");
    }

    @Test
    @Order(340)
    void databasesCreateWithAnOwner() {
        // Two roles now: neonctl needs the owner named.
        assertThat(inProject("databases", "create", "--name", "other").fails().stderr())
                .contains("More than one role found");
        JsonNode database = inProject("databases", "create", "--name", "userdb", "--owner-name", "app_user").json();
        assertThat(database.path("owner_name").asText()).isEqualTo("app_user");
        assertThat(stream(inProject("databases", "list").json()))
                .anySatisfy(db -> {
                    assertThat(db.path("name").asText()).isEqualTo("userdb");
                    assertThat(db.path("owner_name").asText()).isEqualTo("app_user");
                });
    }

    @Test
    @Order(350)
    void connectionStringForAChosenRoleAndDatabase() throws Exception {
        assertThat(inProject("connection-string").fails().stderr()).contains("Multiple roles found");
        URI uri = URI.create(inProject("connection-string", "main", "--role-name", "app_user",
                "--database-name", "userdb").stdout().strip());
        assertThat(uri.getUserInfo()).isEqualTo("app_user:" + appUserPassword);
        assertThat(uri.getPath()).isEqualTo("/userdb");
        assertThat(psql(uri.toString(), "select current_user || '@' || current_database()"))
                .isEqualTo("app_user@userdb");
        assertThat(uri.getHost() + ":" + uri.getPort()).isEqualTo(endpointHostOf(mainBranchId));
    }

    @Test
    @Order(360)
    void databasesDelete() {
        assertThat(inProject("databases", "delete", "userdb").json().path("name").asText()).isEqualTo("userdb");
        assertThat(inProject("databases", "delete", "appdb").json().path("name").asText()).isEqualTo("appdb");
        assertThat(names(inProject("databases", "list").json())).containsExactly("neondb");
    }

    @Test
    @Order(370)
    void rolesDelete() {
        assertThat(inProject("roles", "delete", "app_user").json().path("name").asText()).isEqualTo("app_user");
        assertThat(names(inProject("roles", "list").json())).containsExactly("neondb_owner");
    }

    // ---------------------------------------------------------------- IP allow list

    @Test
    @Order(400)
    void ipAllowListStartsEmpty() {
        JsonNode out = inProject("ip-allow", "list").json();
        assertThat(out.path("id").asText()).isEqualTo(projectId);
        assertThat(texts(out.path("IP_addresses"))).isEmpty();
        assertThat(out.path("protected_branches_only").asBoolean()).isFalse();
    }

    @Test
    @Order(410)
    void ipAllowAdd() {
        JsonNode added = inProject("ip-allow", "add", "10.0.0.0/8").json();
        assertThat(texts(added.path("IP_addresses"))).containsExactly("10.0.0.0/8");

        assertThat(texts(inProject("ip-allow", "list").json().path("IP_addresses"))).containsExactly("10.0.0.0/8");
        JsonNode more = inProject("ip-allow", "add", "192.168.1.1", "--protected-only").json();
        assertThat(texts(more.path("IP_addresses"))).containsExactlyInAnyOrder("10.0.0.0/8", "192.168.1.1");
        assertThat(more.path("protected_branches_only").asBoolean()).isTrue();

        // ip-allow patches only settings.allowed_ips; the rest of the settings must survive.
        JsonNode settings = neonctl("projects", "get", projectId).json().path("settings");
        assertThat(texts(settings.path("allowed_ips").path("ips"))).containsExactlyInAnyOrder("10.0.0.0/8",
                "192.168.1.1");
        assertThat(settings.path("allowed_ips").path("protected_branches_only").asBoolean()).isTrue();
        assertThat(settings.has("maintenance_window")).as("settings after ip-allow: %s", settings).isTrue();
    }

    @Test
    @Order(420)
    void ipAllowRemove() {
        JsonNode out = inProject("ip-allow", "remove", "192.168.1.1").json();
        assertThat(texts(out.path("IP_addresses"))).containsExactly("10.0.0.0/8");
        assertThat(texts(inProject("ip-allow", "list").json().path("IP_addresses"))).containsExactly("10.0.0.0/8");
    }

    @Test
    @Order(430)
    void ipAllowReset() {
        JsonNode replaced = inProject("ip-allow", "reset", "1.2.3.4").json();
        assertThat(texts(replaced.path("IP_addresses"))).containsExactly("1.2.3.4");
        assertThat(replaced.path("protected_branches_only").asBoolean()).isFalse();

        JsonNode cleared = inProject("ip-allow", "reset").json();
        assertThat(texts(cleared.path("IP_addresses"))).isEmpty();
        assertThat(texts(inProject("ip-allow", "list").json().path("IP_addresses"))).isEmpty();
    }

    // ---------------------------------------------------------------- API keys

    @Test
    @Order(500)
    void apiKeysCreateUseAndRevoke() {
        assertThat(names(neonctl("api-keys", "list").json())).contains("bootstrap");

        Run createRun = neonctl("api-keys", "create", "--name", "e2e-key");
        JsonNode created = createRun.json();
        String key = created.path("key").asText();
        long keyId = created.path("id").asLong();
        assertThat(key).startsWith("napi_");
        assertThat(created.path("name").asText()).isEqualTo("e2e-key");
        assertThat(created.has("project_id")).as("an account-wide key carries no project_id").isFalse();
        assertThat(stream(neonctl("api-keys", "list").json()))
                .anySatisfy(k -> {
                    assertThat(k.path("id").asLong()).isEqualTo(keyId);
                    assertThat(k.path("name").asText()).isEqualTo("e2e-key");
                });

        assertThat(ids(neonctlWithKey(key, "projects", "list").json().path("projects"))).containsExactly(projectId);

        JsonNode revoked = neonctl("api-keys", "revoke", Long.toString(keyId)).json();
        assertThat(revoked.path("id").asLong()).isEqualTo(keyId);
        assertThat(revoked.path("revoked").asBoolean()).isTrue();
        assertThat(stream(neonctl("api-keys", "list").json())).noneSatisfy(k ->
                assertThat(k.path("id").asLong()).isEqualTo(keyId));

        assertThat(neonctlWithKey(key, "projects", "list").fails().stderr()).contains("Authentication failed");
        assertThat(neonctl("api-keys", "revoke", "999999").fails().stderr()).contains("No account API key");
    }

    @Test
    @Order(510)
    void apiKeysScopedToAProject() {
        String other = neonctl("projects", "create", "--name", "e2e-beta").json().path("project").path("id").asText();

        JsonNode created = neonctl("api-keys", "create", "--name", "e2e-scoped", "--project-id", projectId).json();
        String key = created.path("key").asText();
        long keyId = created.path("id").asLong();
        assertThat(key).startsWith("napi_");
        assertThat(created.path("project_id").asText()).isEqualTo(projectId);
        assertThat(stream(neonctl("api-keys", "list", "--org-id", orgId).json()))
                .anySatisfy(k -> {
                    assertThat(k.path("id").asLong()).isEqualTo(keyId);
                    assertThat(k.path("project_id").asText()).isEqualTo(projectId);
                });

        assertThat(ids(neonctlWithKey(key, "projects", "list").json().path("projects"))).containsExactly(projectId);
        assertThat(neonctlWithKey(key, "projects", "get", projectId).json().path("id").asText()).isEqualTo(projectId);
        assertThat(neonctlWithKey(key, "projects", "get", other).fails().stderr()).contains("not found");
        // The only project it sees is picked without --project-id.
        assertThat(names(neonctlWithKey(key, "branches", "list").json())).contains("main");

        JsonNode revoked = neonctl("api-keys", "revoke", Long.toString(keyId), "--org-id", orgId).json();
        assertThat(revoked.path("revoked").asBoolean()).isTrue();
        assertThat(neonctlWithKey(key, "projects", "list").fails().stderr()).contains("Authentication failed");

        neonctl("projects", "delete", other).ok();
    }

    // ---------------------------------------------------------------- deleting the project

    @Test
    @Order(900)
    void projectsDelete() {
        JsonNode deleted = neonctl("projects", "delete", projectId).json();
        assertThat(deleted.path("id").asText()).isEqualTo(projectId);

        assertThat(neonctl("projects", "get", projectId).fails().stderr()).contains("not found");
        assertThat(ids(neonctl("projects", "list").json().path("projects"))).isEmpty();
        assertThat(inProject("branches", "list").fails().stderr()).contains("not found");
    }

    // ---------------------------------------------------------------- running neonctl

    record Run(List<String> command, int exitCode, String stdout, String stderr) {
        /** Asserts success and parses stdout, which {@code -o json} makes a single JSON document. */
        JsonNode json() {
            ok();
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("neonctl printed no JSON for " + this, e);
            }
        }

        Run ok() {
            assertThat(exitCode).as("exit code of %s", this).isZero();
            return this;
        }

        Run fails() {
            assertThat(exitCode).as("exit code of %s", this).isNotZero();
            return this;
        }

        @Override
        public String toString() {
            return "neonctl " + String.join(" ", command) + "\n--- exit " + exitCode + "\n--- stdout\n" + stdout
                    + "\n--- stderr\n" + stderr;
        }
    }

    /** neonctl with the bootstrap key. */
    private Run neonctl(String... args) {
        return neonctlWithKey(TestServer.API_KEY, args);
    }

    /** neonctl scoped to the scenario's project. */
    private Run inProject(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        all.addAll(List.of("--project-id", projectId));
        return neonctl(all.toArray(String[]::new));
    }

    private Run neonctlWithKey(String apiKey, String... args) {
        List<String> command = new ArrayList<>(List.of("node", NEONCTL.toString()));
        command.addAll(Arrays.asList(args));
        command.addAll(List.of(
                "--api-host", server.baseUrl() + "/api/v2",
                "--api-key", apiKey,
                "--no-analytics",
                "--config-dir", home.resolve("config").toString(),
                "--context-file", home.resolve("context.json").toString(),
                "-o", "json"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(name -> name.startsWith("NEON_") || name.startsWith("NEONCTL_"));
        env.put("HOME", home.toString());
        env.put("XDG_CONFIG_HOME", home.resolve("xdg").toString());
        env.put("CI", "true");
        env.put("NO_COLOR", "1");
        try {
            Path out = Files.createTempFile(home, "stdout", ".txt");
            Path err = Files.createTempFile(home, "stderr", ".txt");
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                fail("neonctl " + String.join(" ", args) + " did not finish in " + COMMAND_TIMEOUT_SECONDS
                        + " s; stderr so far:\n" + Files.readString(err));
            }
            Run run = new Run(command.subList(2, command.size()), process.exitValue(), Files.readString(out),
                    Files.readString(err));
            Files.delete(out);
            Files.delete(err);
            return run;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void requireNeonctl() {
        if (!Files.isRegularFile(NEONCTL)) {
            fail("neonctl is not installed: " + NEONCTL + " is missing. Run `npm ci` in " + E2E_DIR
                    + " (it installs the pinned neonctl 5.0.1), then rerun this test.");
        }
        String version;
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!node.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                node.destroyForcibly();
                fail("`node --version` did not answer in " + COMMAND_TIMEOUT_SECONDS + " s");
            }
            version = new String(node.getInputStream().readAllBytes()).strip();
        } catch (IOException e) {
            throw new AssertionError("Node.js is needed to run neonctl, but `node` could not be started ("
                    + e.getMessage() + "). Install Node.js 20.19 or newer and put it on PATH.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        Matcher semver = Pattern.compile("v(\\d+)\\.(\\d+)\\..*").matcher(version);
        if (!semver.matches()) {
            fail("`node --version` printed '" + version + "', not a Node.js version");
        }
        int major = Integer.parseInt(semver.group(1));
        int minor = Integer.parseInt(semver.group(2));
        if (major < 20 || major == 20 && minor < 19) {
            fail("neonctl 5.0.1 needs Node.js 20.19 or newer, but `node` on PATH is " + version);
        }
    }

    /** Host and port of the read-write endpoint of a branch, as the API reports it. */
    private String endpointHostOf(String branchId) {
        JsonNode endpoints = server.client().get("/projects/" + projectId + "/branches/" + branchId + "/endpoints")
                .expect(200).body().path("endpoints");
        assertThat(endpoints).hasSize(1);
        return endpoints.get(0).path("host").asText();
    }

    private static Stream<JsonNode> stream(JsonNode array) {
        assertThat(array.isArray()).as("expected a JSON array, got %s", array).isTrue();
        return StreamSupport.stream(array.spliterator(), false);
    }

    private static List<String> ids(JsonNode array) {
        return stream(array).map(n -> n.path("id").asText()).toList();
    }

    private static List<String> names(JsonNode array) {
        return stream(array).map(n -> n.path("name").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return stream(array).map(JsonNode::asText).toList();
    }

    /** Runs one query with Debian's psql on a connection string as neonctl printed it. */
    private static String psql(String connectionString, String sql) throws Exception {
        Process psql = new ProcessBuilder("psql", connectionString, "-XAtc", sql).redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        assertThat(psql.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as("psql: %s", out).isZero();
        return out;
    }
}
