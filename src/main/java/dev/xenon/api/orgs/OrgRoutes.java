package dev.xenon.api.orgs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Pagination;
import dev.xenon.api.Params;
import dev.xenon.api.apikeys.ApiKeyRoutes;
import dev.xenon.api.users.UserRoutes;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.NeonName;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.model.ApiKey;
import dev.xenon.control.model.OrgRole;
import dev.xenon.control.model.OrgStore;
import dev.xenon.control.orgs.OrgService;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Organization routes of Neon's API, plus Xenon's own route for accepting an invitation. */
public final class OrgRoutes {
    private static final String ORG = "/organizations/{org_id}";

    public record Member(UUID id, UUID userId, String orgId, String role, Instant joinedAt) {
        static Member of(OrgStore.Member m) {
            return new Member(m.id(), m.userId(), m.orgId(), m.role().value(), m.joinedAt());
        }
    }

    public record MemberWithUser(Member member, MemberUser user) {}

    public record MemberUser(String email) {}

    public record OrgKeyItem(long id, String name, Instant createdAt, ApiKeyRoutes.Creator createdBy,
                             Instant lastUsedAt, String lastUsedFromAddr, String projectId) {}

    public record CreatedOrgKey(long id, String key, String name, Instant createdAt, UUID createdBy,
                                String projectId) {}

    public record RevokedOrgKey(long id, String name, Instant createdAt, UUID createdBy, Instant lastUsedAt,
                                String lastUsedFromAddr, boolean revoked, String projectId) {}

    public record Joined(Member member, String apiKey) {}

    /** One entry of Neon's {@code OrganizationInvitesCreateRequest}. */
    record InviteRequest(String email, String role) {
        OrgService.Invite invite(int index) {
            return new OrgService.Invite(email, NeonName.parse(OrgRole.class, "invitations[" + index + "].role",
                    role));
        }
    }

    /** Neon's {@code OrganizationInvitation}. */
    public record Invitation(UUID id, String email, String orgId, UUID invitedBy, Instant invitedAt, String role) {
        static Invitation of(OrgStore.Invitation i) {
            return new Invitation(i.id(), i.email(), i.orgId(), i.invitedBy(), i.invitedAt(), i.role().value());
        }
    }

    /** Neon's {@code OrganizationInvitationsResponse}. */
    public record Invitations(List<Invitation> invitations) {
        static Invitations of(List<OrgStore.Invitation> list) {
            return new Invitations(list.stream().map(Invitation::of).toList());
        }
    }

    /** Neon's {@code OrganizationMembersResponse}. */
    public record MembersPage(List<MemberWithUser> members, Pagination pagination) {}

    private final OrgService orgs;
    private final ApiKeyService keys;
    private final Params params;

    public OrgRoutes(OrgService orgs, ApiKeyService keys, Params params) {
        this.orgs = orgs;
        this.keys = keys;
        this.params = params;
    }

    public void register(ApiRouter router) {
        router.get(ORG, (ctx, access) -> UserRoutes.Organization.of(orgs.get(access, org(ctx))));
        router.get(ORG + "/members", this::members);
        router.get(ORG + "/members/{member_id}", (ctx, access) ->
                Member.of(orgs.member(access, org(ctx), memberId(ctx))));
        router.patch(ORG + "/members/{member_id}", this::setRole);
        router.delete(ORG + "/members/{member_id}", (ctx, access) -> {
            orgs.remove(access, org(ctx), memberId(ctx));
            return Map.of();
        });
        router.get(ORG + "/invitations", (ctx, access) -> Invitations.of(orgs.invitations(access, org(ctx))));
        router.post(ORG + "/invitations", this::invite);
        router.get(ORG + "/api_keys", (ctx, access) -> keys.listForOrg(access, org(ctx)).stream()
                .map(k -> new OrgKeyItem(k.id(), k.name(), k.createdAt(),
                        new ApiKeyRoutes.Creator(k.createdBy(), k.createdByName(), ""), k.lastUsedAt(),
                        orEmpty(k.lastUsedFromAddr()), k.projectId()))
                .toList());
        router.post(ORG + "/api_keys", this::createKey);
        router.delete(ORG + "/api_keys/{key_id}", (ctx, access) -> {
            ApiKey k = keys.revokeForOrg(access, org(ctx), Params.longPath(ctx, "key_id"));
            return new RevokedOrgKey(k.id(), k.name(), k.createdAt(), k.createdBy(), k.lastUsedAt(),
                    orEmpty(k.lastUsedFromAddr()), k.revoked(), k.projectId());
        });
    }

    /** Routes that are Xenon's own, outside Neon's API. */
    public void registerExtensions(ApiRouter router) {
        router.post(ORG + "/invitations/accept", (ctx, access) -> {
            JsonNode email = params.tree(ctx).get("email");
            if (email == null || !email.isTextual()) {
                throw DomainException.invalid("email is required and must be a string");
            }
            OrgService.Joined joined = orgs.accept(access, org(ctx), email.asText());
            return new Joined(Member.of(joined.member()), joined.apiKey());
        });
    }

    private Object members(Context ctx, Access access) {
        String sortBy = Params.oneOf(ctx, "sort_by", "joined_at", List.of("email", "role", "joined_at"));
        String order = Params.oneOf(ctx, "sort_order", "desc", List.of("asc", "desc"));
        int limit = Params.intParam(ctx, "limit", 500, 1, 500);
        String cursor = ctx.queryParam("cursor");
        UUID after = cursor == null || cursor.isEmpty() ? null : uuid("cursor", cursor);
        List<OrgStore.Member> page = new ArrayList<>(orgs.members(access, org(ctx), sortBy, order.equals("desc"),
                after, limit + 1));
        boolean more = page.size() > limit;
        if (more) {
            page.removeLast();
        }
        return new MembersPage(page.stream()
                .map(m -> new MemberWithUser(Member.of(m), new MemberUser(m.email()))).toList(),
                new Pagination(more ? page.getLast().id().toString() : null, sortBy, order.toUpperCase()));
    }

    private Object setRole(Context ctx, Access access) throws Exception {
        JsonNode role = params.tree(ctx).get("role");
        if (role == null || !role.isTextual()) {
            throw DomainException.invalid("role is required and must be one of admin, member");
        }
        return Member.of(orgs.setRole(access, org(ctx), memberId(ctx),
                NeonName.parse(OrgRole.class, "role", role.asText())));
    }

    private Object invite(Context ctx, Access access) throws Exception {
        JsonNode list = params.tree(ctx).get("invitations");
        if (list == null || !list.isArray()) {
            throw DomainException.invalid("invitations is required and must be an array");
        }
        List<InviteRequest> requests = params.json().<List<InviteRequest>>readerFor(
                new TypeReference<List<InviteRequest>>() {}).readValue(list);
        List<OrgService.Invite> invites = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            // A null entry is an invitation without an email: it is refused as such, not as a crash.
            invites.add(requests.get(i) == null ? new OrgService.Invite(null, null) : requests.get(i).invite(i));
        }
        return Invitations.of(orgs.invite(access, org(ctx), invites));
    }

    private Object createKey(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        JsonNode name = body.get("key_name");
        if (name == null || !name.isTextual()) {
            throw DomainException.invalid("key_name is required and must be a string");
        }
        JsonNode project = body.get("project_id");
        if (project != null && !project.isNull() && !project.isTextual()) {
            throw DomainException.invalid("project_id must be a string");
        }
        ApiKeyService.Created created = keys.createForOrg(access, org(ctx), name.asText(),
                project == null || project.isNull() ? null : project.asText());
        ApiKey k = created.key();
        return new CreatedOrgKey(k.id(), created.token(), k.name(), k.createdAt(), k.createdBy(), k.projectId());
    }

    private static String org(Context ctx) {
        return ctx.pathParam("org_id");
    }

    private static UUID memberId(Context ctx) {
        String raw = ctx.pathParam("member_id");
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw DomainException.notFound("member " + raw + " not found");
        }
    }

    private static UUID uuid(String name, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(name + " '" + raw + "' is not a cursor from a previous page");
        }
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }
}
