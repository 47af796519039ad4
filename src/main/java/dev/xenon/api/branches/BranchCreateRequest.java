package dev.xenon.api.branches;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.xenon.control.NeonName;
import dev.xenon.control.branches.BranchCreate;
import dev.xenon.control.model.InitSource;

import java.time.Instant;

/** Neon's {@code BranchCreateRequest.branch}, as sent. */
public record BranchCreateRequest(
        String parentId,
        String name,
        String parentLsn,
        Instant parentTimestamp,
        @JsonProperty("protected") Boolean isProtected,
        String initSource,
        Instant expiresAt) {

    /** The checked request; a 400 naming the field when a value is not one Neon allows. */
    BranchCreate toCreate() {
        return new BranchCreate(parentId, name, parentLsn, parentTimestamp, isProtected,
                NeonName.parse(InitSource.class, "branch.init_source", initSource), expiresAt);
    }
}
