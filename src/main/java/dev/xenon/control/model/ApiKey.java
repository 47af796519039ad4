package dev.xenon.control.model;

import dev.xenon.control.Access;

import java.time.Instant;
import java.util.UUID;

/** A stored API key. The token itself is never stored, only its SHA-256. */
public record ApiKey(long id, String name, Access.Kind kind, UUID userId, UUID createdBy, String createdByName,
                     String orgId, String projectId, Instant createdAt, Instant lastUsedAt, String lastUsedFromAddr,
                     boolean revoked) {

    public Access access() {
        return new Access(id, kind, kind == Access.Kind.PERSONAL ? userId : createdBy, orgId, projectId);
    }
}
