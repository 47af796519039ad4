package dev.xenon.control.endpoints;

import dev.xenon.control.NeonName;
import dev.xenon.control.endpoints.EndpointCreate.EndpointSettings;

/** The {@code endpoint} object of an update request: only the fields present change. */
public record EndpointUpdate(
        String branchId,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        String provisioner,
        EndpointSettings settings,
        Boolean poolerEnabled,
        String poolerMode,
        Boolean disabled,
        Boolean passwordlessAccess,
        Integer suspendTimeoutSeconds) {

    public EndpointUpdate {
        NeonName.parse(ComputeProvisioner.class, "endpoint.provisioner", provisioner);
        NeonName.parse(PoolerMode.class, "endpoint.pooler_mode", poolerMode);
        ComputeLimits.check("endpoint", autoscalingLimitMinCu, autoscalingLimitMaxCu, suspendTimeoutSeconds);
    }
}
