package dev.xenon.api;

import dev.xenon.control.Access;
import io.javalin.http.Context;

/** A route body: returns the value to render as JSON; sets a status on {@code ctx} when it is not 200. */
@FunctionalInterface
public interface ApiHandler {
    Object handle(Context ctx, Access access) throws Exception;
}
