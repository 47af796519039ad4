package dev.xenon.control.endpoints;

import dev.xenon.control.Check;

import java.util.List;
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
        Check.oneOf("endpoint.type", type, List.of(Endpoint.READ_WRITE, Endpoint.READ_ONLY));
        Check.oneOf("endpoint.provisioner", provisioner, List.of("k8s-pod", "k8s-neonvm"));
        Check.oneOf("endpoint.pooler_mode", poolerMode, List.of("transaction", "session"));
        ComputeLimits.check("endpoint", autoscalingLimitMinCu, autoscalingLimitMaxCu, suspendTimeoutSeconds);
    }

    public static EndpointCreate readWrite(String branchId) {
        return new EndpointCreate(branchId, null, Endpoint.READ_WRITE, null, null, null, null, null, null, null,
                null, null);
    }

    public record EndpointSettings(Map<String, String> pgSettings) {}
}
