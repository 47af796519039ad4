package dev.xenon.control.endpoints;

import java.time.Instant;
import java.util.Map;

public record Endpoint(
        String id,
        String projectId,
        String branchId,
        EndpointType type,
        String regionId,
        double autoscalingLimitMinCu,
        double autoscalingLimitMaxCu,
        ComputeProvisioner provisioner,
        int suspendTimeoutSeconds,
        boolean disabled,
        boolean poolerEnabled,
        PoolerMode poolerMode,
        Map<String, String> pgSettings,
        EndpointState currentState,
        EndpointState pendingState,
        Integer proxyPort,
        Instant lastActive,
        Instant startedAt,
        Instant suspendedAt,
        String creationSource,
        Instant createdAt,
        Instant updatedAt) {

    public Endpoint withSettings(double minCu, double maxCu, int suspendTimeout, boolean isDisabled,
                                 ComputeProvisioner newProvisioner, boolean pooler, PoolerMode mode, Map<String, String> settings,
                                 String newBranchId, Instant at) {
        return new Endpoint(id, projectId, newBranchId, type, regionId, minCu, maxCu, newProvisioner, suspendTimeout,
                isDisabled, pooler, mode, settings, currentState, pendingState, proxyPort, lastActive, startedAt,
                suspendedAt, creationSource, createdAt, at);
    }
}
