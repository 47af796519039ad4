package dev.xenon.operations;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;

/** Where an operation stands; stored and shown by Neon's {@code OperationStatus} names. */
public enum OperationStatus {
    SCHEDULING("scheduling"),
    RUNNING("running"),
    FINISHED("finished"),
    FAILED("failed");

    private final String wire;

    OperationStatus(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }

    public static OperationStatus fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown operation status '" + value + "' in the store"));
    }
}
