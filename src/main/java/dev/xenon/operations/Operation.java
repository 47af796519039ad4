package dev.xenon.operations;

import java.time.Instant;
import java.util.UUID;

/** An asynchronous action of the control plane, shaped as Neon's {@code Operation}. */
public record Operation(
        UUID id,
        String projectId,
        String branchId,
        String endpointId,
        OperationAction action,
        OperationStatus status,
        int failuresCount,
        String error,
        Instant retryAt,
        Instant createdAt,
        Instant updatedAt,
        int totalDurationMs) {
}
