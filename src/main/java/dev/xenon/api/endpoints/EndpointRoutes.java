package dev.xenon.api.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.Params;
import dev.xenon.api.endpoints.EndpointResponses.EndpointResponse;
import dev.xenon.api.endpoints.EndpointResponses.Endpoints;
import dev.xenon.api.representations.Renderer;
import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.endpoints.EndpointCreate;
import dev.xenon.control.endpoints.EndpointService;
import io.javalin.http.Context;


public final class EndpointRoutes {
    private static final String ENDPOINTS = "/projects/{project_id}/endpoints";
    private static final String ENDPOINT = ENDPOINTS + "/{endpoint_id}";

    private final EndpointService endpoints;
    private final Params params;
    private final Renderer render;

    public EndpointRoutes(EndpointService endpoints, Params params, Renderer render) {
        this.endpoints = endpoints;
        this.params = params;
        this.render = render;
    }

    public void register(ApiRouter router) {
        router.post(ENDPOINTS, this::create);
        router.get(ENDPOINTS, (ctx, access) -> new Endpoints(
                render.endpoints(endpoints.list(access, ctx.pathParam("project_id")))));
        router.get(ENDPOINT, (ctx, access) -> new EndpointResponse(
                render.endpoint(endpoints.get(access, ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"))),
                null));
        router.patch(ENDPOINT, this::update);
        router.delete(ENDPOINT, (ctx, access) -> result(
                endpoints.delete(access, ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"))));
        router.post(ENDPOINT + "/start", (ctx, access) -> result(
                endpoints.start(access, ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"))));
        router.post(ENDPOINT + "/suspend", (ctx, access) -> result(
                endpoints.suspend(access, ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"))));
        router.post(ENDPOINT + "/restart", (ctx, access) -> result(
                endpoints.restart(access, ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"))));
    }

    private Object create(Context ctx, Access access) throws Exception {
        EndpointCreateRequest request = params.field(params.tree(ctx), "endpoint", EndpointCreateRequest.class);
        if (request == null) {
            throw DomainException.invalid("field endpoint is required and must be an object");
        }
        EndpointCreate spec = request.toCreate();
        if (spec.type() == null) {
            throw DomainException.invalid("endpoint.type is required");
        }
        EndpointService.Result created = endpoints.create(access, ctx.pathParam("project_id"), spec);
        ctx.status(201);
        return result(created);
    }

    private Object update(Context ctx, Access access) throws Exception {
        JsonNode body = params.tree(ctx);
        EndpointUpdateRequest patch = params.field(body, "endpoint", EndpointUpdateRequest.class);
        if (patch == null) {
            throw DomainException.invalid("field endpoint is required and must be an object");
        }
        return result(endpoints.update(access, ctx.pathParam("project_id"), ctx.pathParam("endpoint_id"),
                patch.toUpdate()));
    }

    private EndpointResponse result(EndpointService.Result result) {
        return new EndpointResponse(render.endpoint(result.endpoint()), result.operations());
    }
}
