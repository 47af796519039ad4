package dev.xenon.operations;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/**
 * What an operation does. Each has the name it is stored under in the metadata store and the one the API shows,
 * from Neon's {@code OperationAction}; they differ only for a restore, which Neon's list has no name for.
 */
public enum OperationAction {
    CREATE_TIMELINE("create_timeline", "create_timeline"),
    /** Replaces a branch's data with another's at a point in its history (Neon's branch restore). */
    RESTORE_TIMELINE("restore_timeline", "create_timeline"),
    CREATE_BRANCH("create_branch", "create_branch"),
    START_COMPUTE("start_compute", "start_compute"),
    SUSPEND_COMPUTE("suspend_compute", "suspend_compute"),
    APPLY_CONFIG("apply_config", "apply_config"),
    DELETE_TIMELINE("delete_timeline", "delete_timeline");

    private final String stored;
    private final String shown;

    OperationAction(String stored, String shown) {
        this.stored = stored;
        this.shown = shown;
    }

    public String stored() {
        return stored;
    }

    @JsonValue
    public String shown() {
        return shown;
    }

    public static OperationAction fromStored(String value) {
        return Arrays.stream(values()).filter(a -> a.stored.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown operation action '" + value + "' in the store"));
    }
}
