package dev.xenon.api.users;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.xenon.api.ApiRouter;
import dev.xenon.control.Access;
import dev.xenon.control.Regions;
import dev.xenon.control.access.Authorization;
import dev.xenon.control.model.UserStore;
import dev.xenon.control.users.UserService;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.List;

/** Who the caller is: user, organizations, auth method; and the regions this installation offers. */
public final class UserRoutes {
    public record AuthAccount(String email, String image, String login, String name, String provider) {}

    public record CurrentUser(long activeSecondsLimit, List<AuthAccount> authAccounts, String email, String id,
                              String image, String login, String name, String lastName, long projectsLimit,
                              long branchesLimit, double maxAutoscalingLimit, String plan) {}

    public record Organization(String id, String name, String handle, String plan, Instant createdAt,
                               String managedBy, Instant updatedAt) {
        public static Organization of(UserStore.Organization o) {
            return new Organization(o.id(), o.name(), o.handle(), "self_hosted", o.createdAt(), "console",
                    o.updatedAt());
        }
    }

    public record Region(String regionId, String name, @JsonProperty("default") boolean isDefault, String geoLat,
                         String geoLong) {}

    /** Neon's {@code OrganizationsResponse}: the organizations the caller belongs to. */
    record OrganizationsResponse(List<Organization> organizations) {}

    /** Neon's {@code AuthDetailsResponse}. */
    record AuthDetails(String accountId, String authMethod) {}

    /** Neon's {@code RegionResponse} list. */
    record RegionsResponse(List<Region> regions) {}

    private final Authorization authorization;
    private final UserService users;
    private final Regions regions;

    public UserRoutes(UserService users, Regions regions, Authorization authorization) {
        this.authorization = authorization;
        this.users = users;
        this.regions = regions;
    }

    public void register(ApiRouter router) {
        router.get("/users/me", this::me);
        router.get("/users/me/organizations", (ctx, access) -> new OrganizationsResponse(organizations(access)));
        router.get("/auth", (ctx, access) -> new AuthDetails(
                access.kind() == Access.Kind.PERSONAL ? access.userId().toString() : access.orgId(),
                access.kind() == Access.Kind.PERSONAL ? "api_key_user" : "api_key_org"));
        router.get("/regions", (ctx, access) -> new RegionsResponse(regions.all().stream()
                .map(r -> new Region(r.regionId(), r.name(), r.isDefault(), "", "")).toList()));
    }

    private Object me(Context ctx, Access access) {
        authorization.requirePersonalKey(access, "GET /users/me");
        UserStore.User user = users.user(access);
        return new CurrentUser(0, List.of(new AuthAccount(user.email(), "", user.email(), user.name(), "keycloak")),
                user.email(), user.id().toString(), "", user.email(), user.name(), "", 0, 0, 0, "self_hosted");
    }

    private List<Organization> organizations(Access access) {
        return users.organizations(access).stream().map(Organization::of).toList();
    }
}
