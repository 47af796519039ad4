package dev.xenon.control.endpoints;

import dev.xenon.control.NeonName;

/** Neon's {@code EndpointPoolerMode}. */
public enum PoolerMode implements NeonName {
    TRANSACTION,
    SESSION
}
