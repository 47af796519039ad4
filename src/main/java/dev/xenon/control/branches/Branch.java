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
        BranchState currentState,
        BranchState pendingState,
        Instant stateChangedAt,
        boolean isDefault,
        boolean isProtected,
        InitSource initSource,
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

    /**
     * Where the branch's own history starts: its last restore, else its branch point (the parent's state it
     * started from), else (a root, or a branch still being made) its creation. Before that, its history is its
     * parent's, unless a restore replaced it.
     */
    public Instant historyStart() {
        if (lastResetAt != null) {
            return lastResetAt;
        }
        return parentTimestamp != null ? parentTimestamp : createdAt;
    }

    public Branch withName(String newName, Instant at) {
        return new Branch(id, projectId, parentId, newName, parentLsn, parentTimestamp, currentState, pendingState,
                stateChangedAt, isDefault, isProtected, initSource, expiresAt, logicalSize, lastResetAt, createdBy,
                createdAt, at, annotation, annotationCreatedAt, annotationUpdatedAt, dataTransferBytes);
    }
}
