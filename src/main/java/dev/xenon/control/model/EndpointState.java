package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** Neon's {@code EndpointState}, as {@code current_state} and {@code pending_state}. */
public enum EndpointState implements NeonName {
    INIT,
    ACTIVE,
    IDLE
}
