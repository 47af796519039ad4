package dev.xenon.control.model;

import java.time.Instant;

/** A Postgres role of a branch. The plain password is kept only when the project stores passwords. */
public record Role(String branchId, String name, String password, String scramVerifier, boolean isProtected,
                   boolean noLogin, Instant createdAt, Instant updatedAt) {
}
