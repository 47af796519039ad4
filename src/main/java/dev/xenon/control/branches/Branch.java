package dev.xenon.control.branches;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

public record Branch(
        String id,
        String projectId,
        String parentId,
        String name,
        String parentLsn,
        Instant parentTimestamp,
        String currentState,
        String pendingState,
        Instant stateChangedAt,
        boolean isDefault,
        boolean isProtected,
        String initSource,
        Instant expiresAt,
        Long logicalSize,
        Instant lastResetAt,
        UUID createdBy,
        Instant createdAt,
        Instant updatedAt,
        Map<String, String> annotation,
        Instant annotationCreatedAt,
        Instant annotationUpdatedAt,
        long dataTransferBytes) {

    public static final String INIT = "init";
    public static final String READY = "ready";

    public Branch withName(String newName, Instant at) {
        return new Branch(id, projectId, parentId, newName, parentLsn, parentTimestamp, currentState, pendingState,
                stateChangedAt, isDefault, isProtected, initSource, expiresAt, logicalSize, lastResetAt, createdBy,
                createdAt, at, annotation, annotationCreatedAt, annotationUpdatedAt, dataTransferBytes);
    }
}
