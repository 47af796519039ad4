package dev.xenon.api.operations;

import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.operations.OperationService;
import dev.xenon.operations.Operation;
import io.javalin.http.Context;

import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

public final class OperationRoutes {
    /** Neon's {@code OperationsResponse} with its {@code Pagination}: a cursor only when the page is not empty. */
    record OperationsPage(List<Operation> operations, Cursor pagination) {}

    record Cursor(String cursor) {}

    /** Neon's {@code OperationResponse}. */
    record OperationResponse(Operation operation) {}

    private final OperationService operations;

    public OperationRoutes(OperationService operations) {
        this.operations = requireNonNull(operations, "operations is null");
    }

    public void register(ApiRouter router) {
        router.get("/projects/{project_id}/operations", this::list);
        router.get("/projects/{project_id}/operations/{operation_id}", this::get);
    }

    private Object list(Context ctx, Access access) {
        int limit = Params.intParam(ctx, "limit", 10, 1, 1000);
        String cursor = ctx.queryParam("cursor");
        UUID after = cursor == null || cursor.isEmpty() ? null : uuid("cursor", cursor);
        List<Operation> page = operations.list(access, ctx.pathParam("project_id"), after, limit);
        return new OperationsPage(page, page.isEmpty() ? null : new Cursor(page.getLast().id().toString()));
    }

    private Object get(Context ctx, Access access) {
        return new OperationResponse(operations.get(access, ctx.pathParam("project_id"),
                ctx.pathParam("operation_id")));
    }

    private static UUID uuid(String name, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(name + " '" + raw + "' is not a cursor from a previous page");
        }
    }
}
