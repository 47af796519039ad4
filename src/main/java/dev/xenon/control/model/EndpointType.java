package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** Neon's {@code EndpointType}: a branch has at most one read_write endpoint and any number of read_only ones. */
public enum EndpointType implements NeonName {
    READ_WRITE,
    READ_ONLY
}
