package dev.xenon.api;

/** Neon's cursor pagination of sorted lists: {@code next} only when another page follows. */
public record Pagination(String next, String sortBy, String sortOrder) {
}
