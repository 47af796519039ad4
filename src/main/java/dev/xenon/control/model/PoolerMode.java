package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** Neon's {@code EndpointPoolerMode}. */
public enum PoolerMode implements NeonName {
    TRANSACTION,
    SESSION
}
