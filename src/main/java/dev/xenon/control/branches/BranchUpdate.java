package dev.xenon.control.branches;

import dev.xenon.control.Check;

import java.time.Instant;

/**
 * The {@code branch} object of an update request. {@code expiresAt} is tri-state: absent (keep),
 * present with null (clear), or a time.
 */
public record BranchUpdate(String name, Boolean isProtected, boolean expiresAtGiven, Instant expiresAt) {
    public BranchUpdate {
        Check.length("branch.name", name, 1, 256);
    }
}
