package dev.xenon.control.endpoints;

import java.time.Instant;
import java.util.Map;

public record Endpoint(
        String id,
        String projectId,
        String branchId,
        String type,
        String regionId,
        double autoscalingLimitMinCu,
        double autoscalingLimitMaxCu,
        String provisioner,
        int suspendTimeoutSeconds,
        boolean disabled,
        boolean poolerEnabled,
        String poolerMode,
        Map<String, String> pgSettings,
        String currentState,
        String pendingState,
        Integer proxyPort,
        Instant lastActive,
        Instant startedAt,
        Instant suspendedAt,
        String creationSource,
        Instant createdAt,
        Instant updatedAt) {

    public static final String READ_WRITE = "read_write";
    public static final String READ_ONLY = "read_only";
    public static final String INIT = "init";
    public static final String ACTIVE = "active";
    public static final String IDLE = "idle";

    public Endpoint withSettings(double minCu, double maxCu, int suspendTimeout, boolean isDisabled,
                                 String newProvisioner, boolean pooler, String mode, Map<String, String> settings,
                                 String newBranchId, Instant at) {
        return new Endpoint(id, projectId, newBranchId, type, regionId, minCu, maxCu, newProvisioner, suspendTimeout,
                isDisabled, pooler, mode, settings, currentState, pendingState, proxyPort, lastActive, startedAt,
                suspendedAt, creationSource, createdAt, at);
    }
}
