package dev.xenon.control.model;

import java.time.Instant;

public record Database(long id, String branchId, String name, String ownerName, Instant createdAt, Instant updatedAt) {
}
