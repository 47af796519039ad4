package dev.xenon.api.branches;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.api.branches.BranchResponses.DatabaseResponse;
import dev.xenon.api.branches.BranchResponses.Databases;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.databases.DatabaseService;
import io.javalin.http.Context;


public final class DatabaseRoutes {
    private static final String DATABASES = "/projects/{project_id}/branches/{branch_id}/databases";

    private final DatabaseService databases;
    private final Params params;

    public DatabaseRoutes(DatabaseService databases, Params params) {
        this.databases = databases;
        this.params = params;
    }

    public void register(ApiRouter router) {
        router.post(DATABASES, this::create);
        router.get(DATABASES, (ctx, access) -> new Databases(
                databases.list(access, project(ctx), branch(ctx))));
        router.get(DATABASES + "/{database_name}", (ctx, access) -> new DatabaseResponse(
                databases.get(access, project(ctx), branch(ctx), ctx.pathParam("database_name")), null));
        router.patch(DATABASES + "/{database_name}", this::update);
        router.delete(DATABASES + "/{database_name}", (ctx, access) -> result(
                databases.delete(access, project(ctx), branch(ctx), ctx.pathParam("database_name"))));
    }

    private Object create(Context ctx, Access access) throws Exception {
        JsonNode database = object(params.tree(ctx));
        DatabaseService.Result created = databases.create(access, project(ctx), branch(ctx),
                text(database, "name"), text(database, "owner_name"));
        ctx.status(201);
        return result(created);
    }

    private Object update(Context ctx, Access access) throws Exception {
        JsonNode database = object(params.tree(ctx));
        return result(databases.update(access, project(ctx), branch(ctx), ctx.pathParam("database_name"),
                text(database, "name"), text(database, "owner_name")));
    }

    private static JsonNode object(JsonNode body) {
        JsonNode database = body.get("database");
        if (database == null || !database.isObject()) {
            throw DomainException.invalid("field database is required and must be an object");
        }
        return database;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw DomainException.invalid("database." + field + " must be a string");
        }
        return value.asText();
    }

    private static DatabaseResponse result(DatabaseService.Result result) {
        return new DatabaseResponse(result.database(), result.operations());
    }

    private static String project(Context ctx) {
        return ctx.pathParam("project_id");
    }

    private static String branch(Context ctx) {
        return ctx.pathParam("branch_id");
    }
}
