package dev.xenon.api.representations;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.xenon.control.model.Role;

import java.time.Instant;

/** Neon's {@code Role}; {@code password} appears only where Neon returns it (create, reset). */
public record RoleRepresentation(String branchId, String name, String password,
                                 @JsonProperty("protected") boolean isProtected, String authenticationMethod,
                                 Instant createdAt, Instant updatedAt) {

    public static RoleRepresentation of(Role r, String password) {
        return new RoleRepresentation(r.branchId(), r.name(), password, r.isProtected(),
                r.noLogin() ? "no_login" : "password", r.createdAt(), r.updatedAt());
    }
}
