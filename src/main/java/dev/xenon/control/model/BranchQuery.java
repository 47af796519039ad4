package dev.xenon.control.model;

/** One page of a branch listing: {@code after} is the id of the last branch of the previous page. */
public record BranchQuery(String projectId, String search, String sortBy, boolean descending, String after, int limit) {}
