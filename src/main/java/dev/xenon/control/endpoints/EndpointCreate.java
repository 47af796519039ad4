package dev.xenon.control.endpoints;

import dev.xenon.control.NeonName;

import java.util.Map;

/** An endpoint to create, as the {@code endpoint} object of Neon's request (or an item of a branch's endpoints). */
public record EndpointCreate(
        String branchId,
        String regionId,
        String type,
        EndpointSettings settings,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        String provisioner,
        Boolean poolerEnabled,
        String poolerMode,
        Boolean disabled,
        Boolean passwordlessAccess,
        Integer suspendTimeoutSeconds) {

    public EndpointCreate {
        NeonName.parse(EndpointType.class, "endpoint.type", type);
        NeonName.parse(ComputeProvisioner.class, "endpoint.provisioner", provisioner);
        NeonName.parse(PoolerMode.class, "endpoint.pooler_mode", poolerMode);
        ComputeLimits.check("endpoint", autoscalingLimitMinCu, autoscalingLimitMaxCu, suspendTimeoutSeconds);
    }

    public static EndpointCreate readWrite(String branchId) {
        return new EndpointCreate(branchId, null, EndpointType.READ_WRITE.value(), null, null, null, null, null, null, null,
                null, null);
    }

    public record EndpointSettings(Map<String, String> pgSettings) {}
}
