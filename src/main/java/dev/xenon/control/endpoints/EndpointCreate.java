package dev.xenon.control.endpoints;

import dev.xenon.control.ComputeLimits;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.EndpointType;
import dev.xenon.control.model.PoolerMode;

import java.util.Map;

/**
 * An endpoint to create (on its own or with a branch); null fields take the project's defaults. A null type is
 * refused where the request is read, since a branch's endpoints and a lone endpoint say so differently.
 */
public record EndpointCreate(
        String branchId,
        String regionId,
        EndpointType type,
        Map<String, String> pgSettings,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        ComputeProvisioner provisioner,
        Boolean poolerEnabled,
        PoolerMode poolerMode,
        Boolean disabled,
        Integer suspendTimeoutSeconds) {

    public EndpointCreate {
        ComputeLimits.check("endpoint", autoscalingLimitMinCu, autoscalingLimitMaxCu, suspendTimeoutSeconds);
    }

    public static EndpointCreate readWrite(String branchId) {
        return new EndpointCreate(branchId, null, EndpointType.READ_WRITE, null, null, null, null, null, null, null,
                null);
    }
}
