package dev.xenon.control.endpoints;

import dev.xenon.control.ComputeLimits;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.PoolerMode;

import java.util.Map;

/** A change to an endpoint: only the non-null fields change. */
public record EndpointUpdate(
        String branchId,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        ComputeProvisioner provisioner,
        Map<String, String> pgSettings,
        Boolean poolerEnabled,
        PoolerMode poolerMode,
        Boolean disabled,
        Integer suspendTimeoutSeconds) {

    public EndpointUpdate {
        ComputeLimits.check("endpoint", autoscalingLimitMinCu, autoscalingLimitMaxCu, suspendTimeoutSeconds);
    }
}
