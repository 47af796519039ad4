package dev.xenon.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.json.JavalinJackson;

import java.util.UUID;
import java.util.function.Consumer;

/** The HTTP server: request ids, the error mapper, health, and the routes registered by the caller. */
public final class ApiServer implements AutoCloseable {
    private static final String REQUEST_ID = "request_id";
    static final long MAX_REQUEST_BYTES = 1_000_000;

    private final Javalin app;

    public ApiServer(ObjectMapper json, ErrorMapper errors, Consumer<Javalin> routes) {
        this.app = Javalin.create(config -> {
            config.useVirtualThreads = true;
            config.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(json, true));
            config.http.defaultContentType = "application/json";
            config.http.maxRequestSize = MAX_REQUEST_BYTES;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrorBody()));
        });
        app.before(ctx -> {
            String requestId = ctx.header("X-Request-ID");
            if (requestId == null || requestId.isBlank() || requestId.length() > 200) {
                requestId = UUID.randomUUID().toString();
            }
            ctx.attribute(REQUEST_ID, requestId);
            ctx.header("X-Request-ID", requestId);
        });
        app.exception(Exception.class, (e, ctx) -> errors.write(ctx, errors.map(e), requestId(ctx)));
        app.error(404, ctx -> {
            if (!ErrorMapper.written(ctx)) {
                errors.write(ctx, new ErrorMapper.Mapped(404, "NOT_FOUND",
                        "no route " + ctx.method() + " " + ctx.path()), requestId(ctx));
            }
        });
        // Javalin answers a body over maxRequestSize itself, in its own shape, before any handler runs.
        app.error(413, ctx -> {
            if (!ErrorMapper.written(ctx)) {
                errors.write(ctx, new ErrorMapper.Mapped(413, "PAYLOAD_TOO_LARGE", "request body is larger than "
                        + MAX_REQUEST_BYTES + " bytes"), requestId(ctx));
            }
        });
        app.error(405, ctx -> {
            if (!ErrorMapper.written(ctx)) {
                errors.write(ctx, new ErrorMapper.Mapped(405, "METHOD_NOT_ALLOWED",
                        "method " + ctx.method() + " is not allowed on " + ctx.path()), requestId(ctx));
            }
        });
        app.get("/healthz", ctx -> ctx.json(new Health("ok")));
        routes.accept(app);
    }

    /** The body of {@code /healthz}: the process answers. */
    record Health(String status) {}

    private static String requestId(Context ctx) {
        String id = ctx.attribute(REQUEST_ID);
        return id == null ? UUID.randomUUID().toString() : id;
    }

    public ApiServer start(String host, int port) {
        app.start(host, port);
        return this;
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }
}
