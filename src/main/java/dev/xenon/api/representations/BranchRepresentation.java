package dev.xenon.api.representations;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.xenon.control.NeonName;
import dev.xenon.control.model.Branch;

import java.time.Instant;
import java.util.Map;

/** Neon's {@code Branch}. Usage counters are not metered yet and read zero. */
public record BranchRepresentation(
        String id,
        String projectId,
        String parentId,
        String parentLsn,
        Instant parentTimestamp,
        String name,
        String currentState,
        String pendingState,
        Instant stateChangedAt,
        Long logicalSize,
        String creationSource,
        boolean primary,
        @JsonProperty("default") boolean isDefault,
        @JsonProperty("protected") boolean isProtected,
        long cpuUsedSec,
        long computeTimeSeconds,
        long activeTimeSeconds,
        long writtenDataBytes,
        long dataTransferBytes,
        Instant createdAt,
        Instant updatedAt,
        Instant expiresAt,
        Instant lastResetAt,
        CreatedBy createdBy,
        String initSource) {

    public record CreatedBy(String name, String image) {}

    /** Neon's {@code AnnotationData}. */
    public record Annotation(AnnotationObject object, Map<String, String> value, Instant createdAt, Instant updatedAt) {}

    public record AnnotationObject(String type, String id) {}

    public static BranchRepresentation of(Branch b) {
        return new BranchRepresentation(b.id(), b.projectId(), b.parentId(), b.parentLsn(), b.parentTimestamp(),
                b.name(), b.currentState().value(), NeonName.of(b.pendingState()), b.stateChangedAt(), b.logicalSize(), "console",
                b.isDefault(), b.isDefault(), b.isProtected(), 0, 0, 0, 0, b.dataTransferBytes(), b.createdAt(),
                b.updatedAt(),
                b.expiresAt(), b.lastResetAt(), new CreatedBy("admin", ""), b.initSource().value());
    }

    public static Annotation annotationOf(Branch b) {
        return new Annotation(new AnnotationObject("console/branch", b.id()),
                b.annotation() == null ? Map.of() : b.annotation(), b.annotationCreatedAt(), b.annotationUpdatedAt());
    }
}
