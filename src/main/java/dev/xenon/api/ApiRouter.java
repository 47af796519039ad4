package dev.xenon.api;

import dev.xenon.control.Access;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.throttle.FailureThrottle;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.time.Duration;
import java.util.Optional;

/**
 * Registers API routes under {@code /api/v2} behind authentication and rate limiting, so every route gets both
 * by construction.
 */
public final class ApiRouter {
    /** Neon's API. */
    public static final String NEON = "/api/v2";
    /** Xenon's own administrative routes, kept apart from Neon's. */
    public static final String XENON = "/xenon/v1";

    private final String base;
    private final Javalin app;
    private final ApiKeyService keys;
    private final RateLimiter limiter;
    private final FailureThrottle invalidKeys;

    /** @param invalidKeys counts invalid API keys per client address */
    public ApiRouter(String base, Javalin app, ApiKeyService keys, RateLimiter limiter, FailureThrottle invalidKeys) {
        this.base = base;
        this.app = app;
        this.keys = keys;
        this.limiter = limiter;
        this.invalidKeys = invalidKeys;
    }

    public void get(String path, ApiHandler handler) {
        add(HandlerType.GET, path, handler);
    }

    public void post(String path, ApiHandler handler) {
        add(HandlerType.POST, path, handler);
    }

    public void patch(String path, ApiHandler handler) {
        add(HandlerType.PATCH, path, handler);
    }

    public void delete(String path, ApiHandler handler) {
        add(HandlerType.DELETE, path, handler);
    }

    private void add(HandlerType method, String path, ApiHandler handler) {
        String route = method + " " + base + path;
        app.addHttpHandler(method, base + path, ctx -> {
            long started = System.nanoTime();
            Access access = authenticate(ctx);
            long waitSeconds = limiter.admit(access.keyId(), route);
            if (waitSeconds > 0) {
                ctx.header("Retry-After", Long.toString(waitSeconds));
                throw new ErrorMapper.TooManyRequests("rate limit exceeded; retry in " + waitSeconds + " s");
            }
            Params.requireNoNul(ctx);
            Object body = handler.handle(ctx, access);
            ctx.json(body);
            // Server time spent on auth, the handler and rendering, for clients and benchmarks (W3C Server-Timing).
            ctx.header("Server-Timing", String.format("app;dur=%.3f", (System.nanoTime() - started) / 1e6));
        });
    }

    private Access authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
            throw new ErrorMapper.Unauthorized("authorization required: send Authorization: Bearer <api key>");
        }
        // Checked before the key, so an address that guessed too often learns nothing, not even of a right guess.
        Optional<Duration> wait = invalidKeys.refusedFor(ctx.ip());
        if (wait.isPresent()) {
            long seconds = FailureThrottle.seconds(wait.get());
            ctx.header("Retry-After", Long.toString(seconds));
            throw new ErrorMapper.TooManyRequests("too many invalid API keys from this address; retry in " + seconds
                    + " s");
        }
        Optional<Access> access = keys.authenticate(header.substring(7).trim(), ctx.ip());
        if (access.isEmpty()) {
            invalidKeys.failed(ctx.ip());
            throw new ErrorMapper.Unauthorized("invalid or revoked API key");
        }
        return access.get();
    }
}
