package dev.xenon.api;

/** Neon's error body: {@code {"code", "message", "request_id"}}. */
public record ApiError(String code, String message, String requestId) {
}
