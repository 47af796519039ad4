package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** Neon's {@code MemberRole}: an admin manages the organization's members, keys and projects. */
public enum OrgRole implements NeonName {
    ADMIN,
    MEMBER
}
