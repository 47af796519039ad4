package dev.xenon.api.operations;

import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.projects.ProjectStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationStore;
import dev.xenon.store.Db;
import io.javalin.http.Context;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

public final class OperationRoutes {
    private final Db db;
    private final ProjectStore projects;
    private final OperationStore operations;

    public OperationRoutes(Db db, ProjectStore projects, OperationStore operations) {
        this.db = db;
        this.projects = projects;
        this.operations = operations;
    }

    public void register(ApiRouter router) {
        router.get("/projects/{project_id}/operations", this::list);
        router.get("/projects/{project_id}/operations/{operation_id}", this::get);
    }

    private Object list(Context ctx, Access access) {
        String projectId = ctx.pathParam("project_id");
        int limit = Params.intParam(ctx, "limit", 10, 1, 1000);
        String cursor = ctx.queryParam("cursor");
        UUID after = cursor == null || cursor.isEmpty() ? null : uuid("cursor", cursor);
        List<Operation> page = db.read(h -> {
            requireProject(h, access, projectId);
            return operations.list(h, projectId, after, limit);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("operations", page);
        if (!page.isEmpty()) {
            body.put("pagination", Map.of("cursor", page.getLast().id().toString()));
        }
        return body;
    }

    private Object get(Context ctx, Access access) {
        String projectId = ctx.pathParam("project_id");
        String raw = ctx.pathParam("operation_id");
        Operation op = db.read(h -> {
            requireProject(h, access, projectId);
            UUID id;
            try {
                id = UUID.fromString(raw);
            } catch (IllegalArgumentException e) {
                throw DomainException.notFound("operation " + raw + " not found");
            }
            return operations.find(h, projectId, id)
                    .orElseThrow(() -> DomainException.notFound("operation " + raw + " not found"));
        });
        return Map.of("operation", op);
    }

    private void requireProject(org.jdbi.v3.core.Handle h, Access access, String projectId) {
        if (projects.find(h, access, projectId, false).isEmpty()) {
            throw DomainException.notFound("project " + projectId + " not found");
        }
    }

    private static UUID uuid(String name, String raw) {
        try {
            return UUID.fromString(raw);
        } catch (IllegalArgumentException e) {
            throw DomainException.invalid(name + " '" + raw + "' is not a cursor from a previous page");
        }
    }
}
