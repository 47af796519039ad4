package dev.xenon.control.model;

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

    /** A builder holding this branch's fields, to change some of them by name. */
    public Builder toBuilder() {
        return new Builder().id(id).projectId(projectId).parentId(parentId).name(name).parentLsn(parentLsn)
                .parentTimestamp(parentTimestamp).currentState(currentState).pendingState(pendingState)
                .stateChangedAt(stateChangedAt).isDefault(isDefault).isProtected(isProtected)
                .initSource(initSource).expiresAt(expiresAt).logicalSize(logicalSize).lastResetAt(lastResetAt)
                .createdBy(createdBy).createdAt(createdAt).updatedAt(updatedAt).annotation(annotation)
                .annotationCreatedAt(annotationCreatedAt).annotationUpdatedAt(annotationUpdatedAt)
                .dataTransferBytes(dataTransferBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A branch made at {@code now}: {@code init} until the step that makes its timeline marks it ready. */
    public static Builder starting(String id, String projectId, String name, UUID createdBy, Instant now) {
        return new Builder().id(id).projectId(projectId).name(name).currentState(BranchState.INIT)
                .pendingState(BranchState.READY).stateChangedAt(now).createdBy(createdBy).createdAt(now).updatedAt(now);
    }

    /** Builds a branch by field name; a field left unset is null, false or zero. */
    public static final class Builder {
        private String id;
        private String projectId;
        private String parentId;
        private String name;
        private String parentLsn;
        private Instant parentTimestamp;
        private BranchState currentState;
        private BranchState pendingState;
        private Instant stateChangedAt;
        private boolean isDefault;
        private boolean isProtected;
        private InitSource initSource;
        private Instant expiresAt;
        private Long logicalSize;
        private Instant lastResetAt;
        private UUID createdBy;
        private Instant createdAt;
        private Instant updatedAt;
        private Map<String, String> annotation;
        private Instant annotationCreatedAt;
        private Instant annotationUpdatedAt;
        private long dataTransferBytes;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        public Builder parentId(String parentId) {
            this.parentId = parentId;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder parentLsn(String parentLsn) {
            this.parentLsn = parentLsn;
            return this;
        }

        public Builder parentTimestamp(Instant parentTimestamp) {
            this.parentTimestamp = parentTimestamp;
            return this;
        }

        public Builder currentState(BranchState currentState) {
            this.currentState = currentState;
            return this;
        }

        public Builder pendingState(BranchState pendingState) {
            this.pendingState = pendingState;
            return this;
        }

        public Builder stateChangedAt(Instant stateChangedAt) {
            this.stateChangedAt = stateChangedAt;
            return this;
        }

        public Builder isDefault(boolean isDefault) {
            this.isDefault = isDefault;
            return this;
        }

        public Builder isProtected(boolean isProtected) {
            this.isProtected = isProtected;
            return this;
        }

        public Builder initSource(InitSource initSource) {
            this.initSource = initSource;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder logicalSize(Long logicalSize) {
            this.logicalSize = logicalSize;
            return this;
        }

        public Builder lastResetAt(Instant lastResetAt) {
            this.lastResetAt = lastResetAt;
            return this;
        }

        public Builder createdBy(UUID createdBy) {
            this.createdBy = createdBy;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Builder annotation(Map<String, String> annotation) {
            this.annotation = annotation;
            return this;
        }

        public Builder annotationCreatedAt(Instant annotationCreatedAt) {
            this.annotationCreatedAt = annotationCreatedAt;
            return this;
        }

        public Builder annotationUpdatedAt(Instant annotationUpdatedAt) {
            this.annotationUpdatedAt = annotationUpdatedAt;
            return this;
        }

        public Builder dataTransferBytes(long dataTransferBytes) {
            this.dataTransferBytes = dataTransferBytes;
            return this;
        }

        public Branch build() {
            return new Branch(id, projectId, parentId, name, parentLsn, parentTimestamp, currentState, pendingState,
                    stateChangedAt, isDefault, isProtected, initSource, expiresAt, logicalSize, lastResetAt,
                    createdBy, createdAt, updatedAt, annotation, annotationCreatedAt, annotationUpdatedAt,
                    dataTransferBytes);
        }
    }
}
