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

    /**
     * The body as a tree; an empty body reads as an empty object (Neon's create calls allow it). A body must be
     * JSON (a request that says it is something else is a 415), and no string in it may hold a NUL: Postgres
     * cannot store one, so it would fail far from here.
     */
    public JsonNode tree(Context ctx) throws IOException {
        byte[] body = ctx.bodyAsBytes();
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return json.createObjectNode();
        }
        requireJson(ctx.header("Content-Type"));
        JsonNode node = json.readTree(body);
        if (node == null || !node.isObject()) {
            throw DomainException.invalid("request body must be a JSON object");
        }
        requireNoNul(node, "");
        return node;
    }

    /** A missing Content-Type is taken as JSON, as the official clients always send it and curl users forget it. */
    static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        String type = contentType.split(";", 2)[0].strip().toLowerCase(java.util.Locale.ROOT);
        if (!type.equals("application/json") && !(type.startsWith("application/") && type.endsWith("+json"))) {
            throw new ErrorMapper.UnsupportedMediaType("request body must be application/json, not " + type);
        }
    }

    private static void requireNoNul(JsonNode node, String path) {
        if (node.isTextual()) {
            requireNoNul(path.isEmpty() ? "body" : path, node.textValue());
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireNoNul(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                requireNoNul(path.isEmpty() ? "a field name" : "a field name in " + path, field.getKey());
                requireNoNul(field.getValue(), child);
            });
        }
    }

    /** Query parameters too: a NUL in one would reach a SQL parameter. */
    public static void requireNoNul(Context ctx) {
        ctx.queryParamMap().forEach((name, values) -> {
            requireNoNul("query parameter name", name);
            values.forEach(v -> requireNoNul("query parameter " + name, v));
        });
    }

    private static void requireNoNul(String what, String text) {
        if (text.indexOf('\0') >= 0) {
            throw DomainException.invalid(what.replace("\0", "\\u0000") + " contains a NUL character (\\u0000),"
                    + " which Postgres cannot store");
        }
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
