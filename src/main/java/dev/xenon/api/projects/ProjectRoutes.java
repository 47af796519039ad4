package dev.xenon.api.projects;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.api.projects.ProjectResponses.ConnectionUri;
import dev.xenon.api.projects.ProjectResponses.CreatedProject;
import dev.xenon.api.projects.ProjectResponses.Cursor;
import dev.xenon.api.projects.ProjectResponses.ProjectResponse;
import dev.xenon.api.projects.ProjectResponses.ProjectsPage;
import dev.xenon.api.projects.ProjectResponses.SharedProjects;
import dev.xenon.api.representations.Renderer;
import dev.xenon.api.representations.RoleRepresentation;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.Role;
import dev.xenon.control.projects.ProjectCreate;
import dev.xenon.control.projects.ProjectCreated;
import dev.xenon.control.projects.ProjectService;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

public final class ProjectRoutes {
    private final ProjectService projects;
    private final Params params;
    private final Renderer render;
    private final ProjectPatch patchReader;

    public ProjectRoutes(ProjectService projects, Params params, Renderer render) {
        this.projects = projects;
        this.params = params;
        this.render = render;
        this.patchReader = new ProjectPatch(params.json());
    }

    public void register(ApiRouter router) {
        router.get("/projects", this::list);
        router.get("/projects/shared", (ctx, access) -> new SharedProjects(List.of()));
        router.post("/projects", this::create);
        router.get("/projects/{project_id}", (ctx, access) ->
                new ProjectResponse(render.project(projects.get(access, ctx.pathParam("project_id"))), null));
        router.patch("/projects/{project_id}", this::update);
        router.delete("/projects/{project_id}", (ctx, access) ->
                new ProjectResponse(render.project(projects.delete(access, ctx.pathParam("project_id"))), null));
        router.get("/projects/{project_id}/connection_uri", this::connectionUri);
    }

    private Object list(Context ctx, Access access) {
        int limit = Params.intParam(ctx, "limit", 10, 1, 400);
        List<Project> page = projects.list(access, emptyToNull(ctx.queryParam("org_id")),
                ctx.queryParam("search"), emptyToNull(ctx.queryParam("cursor")), limit);
        return new ProjectsPage(page.stream().map(render::project).toList(),
                page.isEmpty() ? null : new Cursor(page.getLast().id()), Map.of(), Map.of());
    }

    private Object create(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        ProjectCreateRequest request = params.field(body, "project", ProjectCreateRequest.class);
        ProjectCreated created = projects.create(access, request == null ? ProjectCreate.empty() : request.toCreate());
        Role owner = created.roles().getFirst();
        ctx.status(201);
        return new CreatedProject(render.project(created.project()),
                List.of(render.connection(created.endpoints().getFirst(), owner.name(), owner.password(),
                        created.databases().getFirst().name())),
                created.roles().stream().map(r -> RoleRepresentation.of(r, r.password())).toList(),
                created.databases(), created.operations(), render.branch(created.branch()),
                render.endpoints(created.endpoints()));
    }

    private Object update(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        JsonNode patch = body.get("project");
        if (patch == null || !patch.isObject()) {
            throw DomainException.invalid("field project is required and must be an object");
        }
        Project updated = projects.update(access, ctx.pathParam("project_id"), patchReader.read(patch));
        return new ProjectResponse(render.project(updated), List.of());
    }

    private Object connectionUri(Context ctx, Access access) {
        boolean pooled = Boolean.TRUE.equals(Params.boolParam(ctx, "pooled", true));
        ProjectService.ConnectionTarget target = projects.connectionTarget(access, ctx.pathParam("project_id"),
                emptyToNull(ctx.queryParam("branch_id")), emptyToNull(ctx.queryParam("endpoint_id")),
                ctx.queryParam("database_name"), ctx.queryParam("role_name"));
        return new ConnectionUri(render.address().uri(target.endpoint(), target.role(), target.password(),
                target.database(), pooled));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
