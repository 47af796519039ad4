package dev.xenon.api.branches;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Pagination;
import dev.xenon.api.Params;
import dev.xenon.api.branches.BranchResponses.BranchCount;
import dev.xenon.api.branches.BranchResponses.BranchResponse;
import dev.xenon.api.branches.BranchResponses.BranchesPage;
import dev.xenon.api.branches.BranchResponses.CreatedBranch;
import dev.xenon.api.endpoints.EndpointCreateRequest;
import dev.xenon.api.endpoints.EndpointResponses.Endpoints;
import dev.xenon.api.representations.BranchRepresentation;
import dev.xenon.api.representations.Renderer;
import dev.xenon.api.representations.RoleRepresentation;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.branches.BranchCreate;
import dev.xenon.control.branches.BranchCreated;
import dev.xenon.control.branches.BranchRestore;
import dev.xenon.control.branches.BranchService;
import dev.xenon.control.branches.BranchUpdate;
import dev.xenon.control.endpoints.EndpointCreate;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchQuery;
import io.javalin.http.Context;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class BranchRoutes {
    private static final int MAX_LIMIT = 10_000;

    private final BranchService branches;
    private final Params params;
    private final Renderer render;

    public BranchRoutes(BranchService branches, Params params, Renderer render) {
        this.branches = branches;
        this.params = params;
        this.render = render;
    }

    public void register(ApiRouter router) {
        router.post("/projects/{project_id}/branches", this::create);
        router.get("/projects/{project_id}/branches", this::list);
        router.get("/projects/{project_id}/branches/count", (ctx, access) -> new BranchCount(
                branches.count(access, ctx.pathParam("project_id"), ctx.queryParam("search"))));
        router.get("/projects/{project_id}/branches/{branch_id}", (ctx, access) -> {
            Branch branch = branches.get(access, ctx.pathParam("project_id"), ctx.pathParam("branch_id"));
            return new BranchResponse(render.branch(branch), BranchRepresentation.annotationOf(branch), null);
        });
        router.patch("/projects/{project_id}/branches/{branch_id}", this::update);
        router.delete("/projects/{project_id}/branches/{branch_id}", (ctx, access) -> result(
                branches.delete(access, ctx.pathParam("project_id"), ctx.pathParam("branch_id"))));
        router.post("/projects/{project_id}/branches/{branch_id}/restore", (ctx, access) -> result(
                branches.restore(access, ctx.pathParam("project_id"), ctx.pathParam("branch_id"), restoreRequest(ctx))));
        router.post("/projects/{project_id}/branches/{branch_id}/set_as_default", (ctx, access) -> result(
                branches.setDefault(access, ctx.pathParam("project_id"), ctx.pathParam("branch_id"))));
        router.get("/projects/{project_id}/branches/{branch_id}/endpoints", (ctx, access) -> new Endpoints(
                render.endpoints(branches.endpointsOf(access, ctx.pathParam("project_id"),
                        ctx.pathParam("branch_id")))));
    }

    private Object create(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        BranchCreateRequest request = params.field(body, "branch", BranchCreateRequest.class);
        BranchCreate spec = request == null ? BranchCreate.empty() : request.toCreate();
        List<EndpointCreate> endpoints = new ArrayList<>();
        JsonNode endpointNodes = body.get("endpoints");
        if (endpointNodes != null && !endpointNodes.isNull()) {
            if (!endpointNodes.isArray()) {
                throw DomainException.invalid("field endpoints must be an array");
            }
            List<EndpointCreateRequest> requests = params.json()
                    .readerFor(new TypeReference<List<EndpointCreateRequest>>() {}).readValue(endpointNodes);
            requests.forEach(r -> endpoints.add(r.toCreate()));
        }
        Map<String, String> annotation = null;
        JsonNode annotationNode = body.get("annotation_value");
        if (annotationNode != null && !annotationNode.isNull()) {
            annotation = params.json().readerFor(new TypeReference<Map<String, String>>() {}).readValue(annotationNode);
        }
        BranchCreated created = branches.create(access, ctx.pathParam("project_id"), spec, endpoints, annotation);
        ctx.status(201);
        List<Renderer.ConnectionDetails> uris = new ArrayList<>();
        created.endpoints().forEach(e -> created.roles().stream().filter(r -> r.password() != null).forEach(r ->
                created.databases().stream().filter(d -> d.ownerName().equals(r.name())).forEach(d ->
                        uris.add(render.connection(e, r.name(), r.password(), d.name())))));
        return new CreatedBranch(render.branch(created.branch()), render.endpoints(created.endpoints()),
                created.operations(), created.roles().stream().map(r -> RoleRepresentation.of(r, null)).toList(),
                created.databases(), uris.isEmpty() ? null : uris);
    }

    /** Neon's BranchRestoreRequest: the fields sit at the top level of the body. */
    private BranchRestore restoreRequest(Context ctx) throws Exception {
        JsonNode body = params.tree(ctx);
        if (body == null || !body.isObject()) {
            throw DomainException.invalid("the request body must be a JSON object with source_branch_id");
        }
        String source = text(body, "source_branch_id");
        String lsn = text(body, "source_lsn");
        String timestamp = text(body, "source_timestamp");
        Instant at = null;
        if (timestamp != null) {
            try {
                at = params.json().convertValue(body.get("source_timestamp"), Instant.class);
            } catch (IllegalArgumentException e) {
                throw DomainException.invalid("source_timestamp '" + timestamp + "' is not an ISO 8601 timestamp");
            }
        }
        return new BranchRestore(source, lsn, at, text(body, "preserve_under_name"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw DomainException.invalid(field + " must be a string");
        }
        return node.asText();
    }

    private Object list(Context ctx, Access access) {
        String sortBy = Params.oneOf(ctx, "sort_by", "updated_at", List.of("name", "created_at", "updated_at"));
        String order = Params.oneOf(ctx, "sort_order", "desc", List.of("asc", "desc"));
        int limit = Params.intParam(ctx, "limit", MAX_LIMIT, 1, MAX_LIMIT);
        String cursor = ctx.queryParam("cursor");
        BranchQuery query = new BranchQuery(ctx.pathParam("project_id"), ctx.queryParam("search"), sortBy,
                order.equals("desc"), cursor == null || cursor.isEmpty() ? null : cursor, limit + 1);
        List<Branch> page = new ArrayList<>(branches.list(access, query));
        boolean more = page.size() > limit;
        if (more) {
            page.removeLast();
        }
        Map<String, BranchRepresentation.Annotation> annotations = new LinkedHashMap<>();
        page.stream().filter(b -> b.annotation() != null)
                .forEach(b -> annotations.put(b.id(), BranchRepresentation.annotationOf(b)));
        return new BranchesPage(page.stream().map(render::branch).toList(), annotations,
                new Pagination(more ? page.getLast().id() : null, sortBy, order.toUpperCase()));
    }

    private Object update(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        JsonNode patch = body.get("branch");
        if (patch == null || !patch.isObject()) {
            throw DomainException.invalid("field branch is required and must be an object");
        }
        String name = null;
        if (patch.has("name")) {
            if (!patch.get("name").isTextual()) {
                throw DomainException.invalid("branch.name must be a string");
            }
            name = patch.get("name").asText();
        }
        Boolean isProtected = null;
        if (patch.has("protected")) {
            if (!patch.get("protected").isBoolean()) {
                throw DomainException.invalid("branch.protected must be a boolean");
            }
            isProtected = patch.get("protected").asBoolean();
        }
        boolean expiresGiven = patch.has("expires_at");
        Instant expiresAt = null;
        if (expiresGiven && !patch.get("expires_at").isNull()) {
            expiresAt = params.json().convertValue(patch.get("expires_at"), Instant.class);
        }
        return result(branches.update(access, ctx.pathParam("project_id"), ctx.pathParam("branch_id"),
                new BranchUpdate(name, isProtected, expiresGiven, expiresAt)));
    }

    private BranchResponse result(BranchService.Result result) {
        return new BranchResponse(render.branch(result.branch()), null, result.operations());
    }
}
