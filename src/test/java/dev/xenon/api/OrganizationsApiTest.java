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

/** Organizations, members, invitations, organization keys, and what each kind of key may do. */
class OrganizationsApiTest {
    private static TestServer server;
    private static ApiClient admin;
    private static String org;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        admin = server.client();
        org = admin.get("/users/me/organizations").expect(200).body().get("organizations").get(0).get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Invites {@code email} as {@code role} and accepts on their behalf; returns their first personal key. */
    private static ApiClient join(String email, String role) {
        admin.post("/organizations/" + org + "/invitations",
                Map.of("invitations", List.of(Map.of("email", email, "role", role)))).expect(200);
        JsonNode joined = admin.xenon("POST", "/organizations/" + org + "/invitations/accept", Map.of("email", email))
                .expect(200).body();
        assertThat(joined.get("member").get("role").asText()).isEqualTo(role);
        return server.client(joined.get("api_key").asText());
    }

    private static ApiClient orgKey(String projectId) {
        Map<String, Object> body = projectId == null ? Map.of("key_name", "org-key")
                : Map.of("key_name", "project-key", "project_id", projectId);
        JsonNode created = admin.post("/organizations/" + org + "/api_keys", body).expect(200).body();
        return server.client(created.get("key").asText());
    }

    private static String memberId(String email) {
        for (JsonNode m : admin.get("/organizations/" + org + "/members").expect(200).body().get("members")) {
            if (m.get("user").get("email").asText().equals(email)) {
                return m.get("member").get("id").asText();
            }
        }
        throw new AssertionError(email + " is not a member");
    }

    private static int projectCount() {
        return admin.get("/projects?limit=400").expect(200).body().get("projects").size();
    }

    @Test
    void eachKindOfKeyReachesOnlyWhatItMay() {
        ApiClient member = join("dev@example.com", "member");
        String project = Projects.create(admin, Map.of("name", "scoped")).get("project").get("id").asText();
        String other = Projects.create(admin, Map.of("name", "other")).get("project").get("id").asText();
        ApiClient orgWide = orgKey(null);
        ApiClient scoped = orgKey(project);

        // Projects: everyone in the organization sees them; a project key sees only its own.
        member.get("/projects/" + other).expect(200);
        orgWide.get("/projects/" + other).expect(200);
        scoped.get("/projects/" + project).expect(200);
        scoped.get("/projects/" + other).expect(404);
        assertThat(scoped.get("/projects").expect(200).body().get("projects")).hasSize(1);
        scoped.post("/projects/" + project + "/branches", Map.of("branch", Map.of("name", "by-scoped-key")))
                .expect(201);

        // Creating and deleting projects.
        int before = projectCount();
        scoped.post("/projects", Map.of("project", Map.of("name", "nope"))).expect(403);
        orgWide.post("/projects", Map.of("project", Map.of("name", "nope"))).expect(400);
        assertThat(projectCount()).isEqualTo(before);
        orgWide.post("/projects", Map.of("project", Map.of("name", "by-org-key", "org_id", org))).expect(201);
        member.post("/projects", Map.of("project", Map.of("name", "by-member"))).expect(201);
        scoped.delete("/projects/" + project).expect(403);
        admin.get("/projects/" + project).expect(200);

        // Organization routes.
        for (ApiClient reader : List.of(admin, member, orgWide)) {
            reader.get("/organizations/" + org).expect(200);
            reader.get("/organizations/" + org + "/members").expect(200);
            reader.get("/organizations/" + org + "/invitations").expect(200);
            reader.get("/organizations/" + org + "/api_keys").expect(200);
        }
        scoped.get("/organizations/" + org).expect(403);
        scoped.get("/organizations/" + org + "/members").expect(403);
        admin.get("/organizations/org-none-00000000").expect(404);

        // Administration: admins and organization keys; members and project keys are refused.
        String memberId = memberId("dev@example.com");
        member.patch("/organizations/" + org + "/members/" + memberId, Map.of("role", "admin")).expect(403);
        scoped.patch("/organizations/" + org + "/members/" + memberId, Map.of("role", "admin")).expect(403);
        member.post("/organizations/" + org + "/invitations",
                Map.of("invitations", List.of(Map.of("email", "x@example.com", "role", "member")))).expect(403);
        member.post("/organizations/" + org + "/api_keys", Map.of("key_name", "mine")).expect(403);
        scoped.post("/organizations/" + org + "/api_keys", Map.of("key_name", "mine")).expect(403);
        assertThat(admin.get("/organizations/" + org + "/members/" + memberId).expect(200).body().get("role").asText())
                .isEqualTo("member");
        assertThat(admin.get("/organizations/" + org + "/invitations").body().get("invitations").toString())
                .doesNotContain("x@example.com");
        orgWide.patch("/organizations/" + org + "/members/" + memberId, Map.of("role", "admin")).expect(200);
        admin.patch("/organizations/" + org + "/members/" + memberId, Map.of("role", "member")).expect(200);

        // Personal-key-only routes.
        member.get("/users/me").expect(200);
        member.get("/api_keys").expect(200);
        orgWide.get("/users/me").expect(403);
        orgWide.get("/api_keys").expect(403);
        scoped.post("/api_keys", Map.of("key_name", "x")).expect(403);
        assertThat(orgWide.get("/auth").expect(200).body().get("auth_method").asText()).isEqualTo("api_key_org");
    }

    @Test
    void aUserWhoLeavesLosesTheOrganizationsProjects() {
        ApiClient leaver = join("leaver@example.com", "member");
        String project = Projects.create(admin, Map.of("name", "left-behind")).get("project").get("id").asText();
        leaver.get("/projects/" + project).expect(200);
        admin.delete("/organizations/" + org + "/members/" + memberId("leaver@example.com")).expect(200);
        leaver.get("/projects/" + project).expect(404);
        assertThat(leaver.get("/projects").expect(200).body().get("projects")).isEmpty();
        leaver.get("/organizations/" + org).expect(404);
    }

    @Test
    void theLastAdminCannotBeRemovedOrDemoted() {
        String adminId = memberId("admin@example.com");
        assertThat(admin.delete("/organizations/" + org + "/members/" + adminId).expect(409).body()
                .get("message").asText()).contains("last admin");
        admin.patch("/organizations/" + org + "/members/" + adminId, Map.of("role", "member")).expect(409);
        assertThat(admin.get("/organizations/" + org + "/members/" + adminId).body().get("role").asText())
                .isEqualTo("admin");
        ApiClient second = join("second-admin@example.com", "admin");
        admin.patch("/organizations/" + org + "/members/" + adminId, Map.of("role", "member")).expect(200);
        second.patch("/organizations/" + org + "/members/" + adminId, Map.of("role", "admin")).expect(200);
    }

    @Test
    void revokingAnOrganizationKeyCutsItOffAtOnce() {
        JsonNode created = admin.post("/organizations/" + org + "/api_keys", Map.of("key_name", "ci")).expect(200)
                .body();
        ApiClient ci = server.client(created.get("key").asText());
        ci.get("/projects").expect(200);
        List<Long> listed = new ArrayList<>();
        admin.get("/organizations/" + org + "/api_keys").body().forEach(k -> listed.add(k.get("id").asLong()));
        assertThat(listed).contains(created.get("id").asLong());
        assertThat(admin.delete("/organizations/" + org + "/api_keys/" + created.get("id").asLong()).expect(200)
                .body().get("revoked").asBoolean()).isTrue();
        ci.get("/projects").expect(401);
    }

    @Test
    void invitationsAreValidated() {
        admin.post("/organizations/" + org + "/invitations",
                Map.of("invitations", List.of(Map.of("email", "not-an-email", "role", "member")))).expect(400);
        admin.post("/organizations/" + org + "/invitations",
                Map.of("invitations", List.of(Map.of("email", "ok@example.com", "role", "owner")))).expect(400);
        admin.post("/organizations/" + org + "/invitations", Map.of("invitations", List.of())).expect(400);
        admin.post("/organizations/" + org + "/invitations", Map.of("invitations", java.util.Arrays.asList(
                (Object) null))).expect(400);
        admin.post("/organizations/" + org + "/invitations",
                Map.of("invitations", List.of(Map.of("email", "admin@example.com", "role", "member")))).expect(409);
        JsonNode made = admin.post("/organizations/" + org + "/invitations", Map.of("invitations", List.of(
                Map.of("email", "a@example.com", "role", "member"), Map.of("email", "b@example.com", "role", "admin"))))
                .expect(200).body().get("invitations");
        assertThat(made).hasSize(2);
        assertThat(made.get(0).get("org_id").asText()).isEqualTo(org);
        assertThat(made.get(1).get("role").asText()).isEqualTo("admin");
        admin.post("/organizations/" + org + "/api_keys", Map.of("key_name", "k".repeat(65))).expect(400);
        admin.post("/organizations/" + org + "/api_keys", Map.of("key_name", "k", "project_id", "no-such-12345678"))
                .expect(404);
    }

    @Test
    void membersPageWithACursor() {
        join("p1@example.com", "member");
        join("p2@example.com", "member");
        List<String> emails = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = admin.get("/organizations/" + org + "/members?sort_by=email&sort_order=asc&limit=1"
                    + (cursor == null ? "" : "&cursor=" + cursor)).expect(200).body();
            page.get("members").forEach(m -> emails.add(m.get("user").get("email").asText()));
            JsonNode next = page.get("pagination").get("next");
            cursor = next == null ? null : next.asText();
        } while (cursor != null);
        assertThat(emails).isSorted().contains("admin@example.com", "p1@example.com", "p2@example.com");
    }
}
