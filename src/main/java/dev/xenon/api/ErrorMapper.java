package dev.xenon.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.xenon.control.DomainException;
import dev.xenon.store.StoreUnavailable;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.stream.Collectors;

/** The one place where failures become Neon error responses. */
public final class ErrorMapper {
    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);

    public record Mapped(int status, String code, String message) {}

    public Mapped map(Throwable failure) {
        Throwable cause = failure;
        // Checks in record constructors surface wrapped by Jackson; the domain error inside is what counts. A store
        // that cannot be reached is an outage (503), whatever the driver's exception inside it says.
        while (cause != null && !(cause instanceof DomainException) && !(cause instanceof StoreUnavailable)
                && cause.getCause() != null && cause.getCause() != cause) {
            if (cause.getCause() instanceof DomainException) {
                cause = cause.getCause();
                break;
            }
            if (cause instanceof JsonProcessingException) {
                break;
            }
            cause = cause.getCause();
        }
        return switch (cause) {
            case DomainException.Invalid e -> new Mapped(400, "BAD_REQUEST", e.getMessage());
            case DomainException.NotFound e -> new Mapped(404, "NOT_FOUND", e.getMessage());
            case DomainException.Conflict e -> new Mapped(409, "CONFLICT", e.getMessage());
            case DomainException.Locked e -> new Mapped(423, "LOCKED", e.getMessage());
            case DomainException.Forbidden e -> new Mapped(403, "FORBIDDEN", e.getMessage());
            case DomainException.PreconditionFailed e -> new Mapped(412, "PRECONDITION_FAILED", e.getMessage());
            case TooManyRequests e -> new Mapped(429, "TOO_MANY_REQUESTS", e.getMessage());
            case StoreUnavailable e -> new Mapped(503, "SERVICE_UNAVAILABLE", e.getMessage());
            case Unauthorized e -> new Mapped(401, "UNAUTHORIZED", e.getMessage());
            case UnsupportedMediaType e -> new Mapped(415, "UNSUPPORTED_MEDIA_TYPE", e.getMessage());
            case JsonProcessingException e -> new Mapped(400, "BAD_REQUEST", describe(e));
            case HttpResponseException e -> new Mapped(e.getStatus(), codeFor(e.getStatus()), e.getMessage());
            case null, default -> {
                log.error("unexpected failure", failure);
                yield new Mapped(500, "INTERNAL_ERROR", "internal error");
            }
        };
    }

    public void write(Context ctx, Mapped mapped, String requestId) {
        ctx.attribute(WRITTEN, Boolean.TRUE);
        ctx.status(mapped.status()).json(new ApiError(mapped.code(), mapped.message(), requestId));
    }

    /** Whether this response already carries a Neon error body (so a status handler must not replace it). */
    public static boolean written(Context ctx) {
        return Boolean.TRUE.equals(ctx.attribute(WRITTEN));
    }

    private static final String WRITTEN = "xenon.error-written";

    private static String describe(JsonProcessingException e) {
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            if (e instanceof InvalidFormatException format) {
                return "field " + field + " has an invalid value '" + format.getValue() + "'";
            }
            if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
                return "field " + field + " must be " + typeName(mismatch.getTargetType());
            }
            return "field " + field + " is invalid";
        }
        return "request body is not valid JSON: " + e.getOriginalMessage();
    }

    private static String typeName(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type == java.time.Instant.class) {
            return "an RFC 3339 timestamp";
        }
        return "an object";
    }

    private static String codeFor(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            default -> "ERROR";
        };
    }

    public static final class Unauthorized extends RuntimeException {
        public Unauthorized(String message) {
            super(message, null, false, false);
        }
    }

    public static final class UnsupportedMediaType extends RuntimeException {
        public UnsupportedMediaType(String message) {
            super(message, null, false, false);
        }
    }

    public static final class TooManyRequests extends RuntimeException {
        public TooManyRequests(String message) {
            super(message, null, false, false);
        }
    }
}
