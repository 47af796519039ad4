package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.control.DomainException;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.List;

/** Query parameters and bodies, read strictly: a bad value is a 400 naming the parameter. */
public final class Params {
    private final ObjectMapper json;

    public Params(ObjectMapper json) {
        this.json = json;
    }

    public static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        int value;
        try {
            value = Integer.parseInt(raw);
        } catch (NumberFormatException e) {
            throw DomainException.invalid("query parameter " + name + " must be an integer, got '" + raw + "'");
        }
        if (value < min || value > max) {
            throw DomainException.invalid("query parameter " + name + " must be between " + min + " and " + max
                    + ", got " + value);
        }
        return value;
    }

    public static String oneOf(Context ctx, String name, String fallback, List<String> allowed) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(raw)) {
            throw DomainException.invalid("query parameter " + name + " must be one of " + String.join(", ", allowed)
                    + ", got '" + raw + "'");
        }
        return raw;
    }

    public static Boolean boolParam(Context ctx, String name, Boolean fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        return switch (raw) {
            case "true" -> true;
            case "false" -> false;
            default -> throw DomainException.invalid("query parameter " + name + " must be true or false");
        };
    }

    public static long longPath(Context ctx, String name) {
        try {
            return Long.parseLong(ctx.pathParam(name));
        } catch (NumberFormatException e) {
            throw DomainException.invalid(name + " must be an integer, got '" + ctx.pathParam(name) + "'");
        }
    }

    /** The body as a tree; an empty body reads as an empty object (Neon's create calls allow it). */
    public JsonNode tree(Context ctx) throws IOException {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return json.createObjectNode();
        }
        JsonNode node = json.readTree(body);
        if (node == null || !node.isObject()) {
            throw DomainException.invalid("request body must be a JSON object");
        }
        return node;
    }

    /** The object under {@code field} of the body, bound to {@code type}; null when absent. */
    public <T> T field(JsonNode body, String field, Class<T> type) throws IOException {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw DomainException.invalid("field " + field + " must be an object");
        }
        try {
            return json.readerFor(type).readValue(node);
        } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
            e.prependPath(body, field);
            throw e;
        }
    }

    public ObjectMapper json() {
        return json;
    }
}
