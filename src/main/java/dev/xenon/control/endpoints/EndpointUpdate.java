package dev.xenon.control.endpoints;

import dev.xenon.control.Check;
import dev.xenon.control.endpoints.EndpointCreate.EndpointSettings;

import java.util.List;

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
        Check.oneOf("endpoint.provisioner", provisioner, List.of("k8s-pod", "k8s-neonvm"));
        Check.oneOf("endpoint.pooler_mode", poolerMode, List.of("transaction", "session"));
        ComputeLimits.check("endpoint", autoscalingLimitMinCu, autoscalingLimitMaxCu, suspendTimeoutSeconds);
    }
}
