package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** Neon's {@code BranchState}, as {@code current_state} and {@code pending_state}. */
public enum BranchState implements NeonName {
    INIT,
    READY,
    /** Its data is being replaced by a restore. */
    RESETTING,
    /** Pending on a deleted branch until its data is gone. */
    STORAGE_DELETED
}
