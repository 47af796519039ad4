package dev.xenon.api.branches;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.api.branches.BranchResponses.RolePassword;
import dev.xenon.api.branches.BranchResponses.RoleResponse;
import dev.xenon.api.branches.BranchResponses.Roles;
import dev.xenon.api.representations.RoleRepresentation;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.roles.RoleService;
import io.javalin.http.Context;


public final class RoleRoutes {
    private static final String ROLES = "/projects/{project_id}/branches/{branch_id}/roles";

    private final RoleService roles;
    private final Params params;

    public RoleRoutes(RoleService roles, Params params) {
        this.roles = roles;
        this.params = params;
    }

    public void register(ApiRouter router) {
        router.post(ROLES, this::create);
        router.get(ROLES, (ctx, access) -> new Roles(roles.list(access, project(ctx), branch(ctx)).stream()
                .map(r -> RoleRepresentation.of(r, null)).toList()));
        router.get(ROLES + "/{role_name}", (ctx, access) -> new RoleResponse(RoleRepresentation.of(
                roles.get(access, project(ctx), branch(ctx), ctx.pathParam("role_name")), null), null));
        router.delete(ROLES + "/{role_name}", (ctx, access) -> result(
                roles.delete(access, project(ctx), branch(ctx), ctx.pathParam("role_name"))));
        router.get(ROLES + "/{role_name}/reveal_password", (ctx, access) -> new RolePassword(
                roles.revealPassword(access, project(ctx), branch(ctx), ctx.pathParam("role_name"))));
        router.post(ROLES + "/{role_name}/reset_password", (ctx, access) -> result(
                roles.resetPassword(access, project(ctx), branch(ctx), ctx.pathParam("role_name"))));
    }

    private Object create(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        JsonNode role = body.get("role");
        if (role == null || !role.isObject()) {
            throw DomainException.invalid("field role is required and must be an object");
        }
        JsonNode name = role.get("name");
        if (name == null || !name.isTextual()) {
            throw DomainException.invalid("role.name is required and must be a string");
        }
        JsonNode noLogin = role.get("no_login");
        if (noLogin != null && !noLogin.isNull() && !noLogin.isBoolean()) {
            throw DomainException.invalid("role.no_login must be a boolean");
        }
        RoleService.Result created = roles.create(access, project(ctx), branch(ctx), name.asText(),
                noLogin != null && noLogin.asBoolean());
        ctx.status(201);
        return result(created);
    }

    private static RoleResponse result(RoleService.Result result) {
        return new RoleResponse(RoleRepresentation.of(result.role(), result.password()), result.operations());
    }

    private static String project(Context ctx) {
        return ctx.pathParam("project_id");
    }

    private static String branch(Context ctx) {
        return ctx.pathParam("branch_id");
    }
}
