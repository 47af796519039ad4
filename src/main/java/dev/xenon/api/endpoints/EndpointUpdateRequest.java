package dev.xenon.api.endpoints;

import dev.xenon.api.representations.EndpointRepresentation.Settings;
import dev.xenon.control.NeonName;
import dev.xenon.control.endpoints.EndpointUpdate;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.PoolerMode;

/** Neon's {@code EndpointUpdateRequest.endpoint}, as sent: only the fields present change. */
public record EndpointUpdateRequest(
        String branchId,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        String provisioner,
        Settings settings,
        Boolean poolerEnabled,
        String poolerMode,
        Boolean disabled,
        Boolean passwordlessAccess,
        Integer suspendTimeoutSeconds) {

    /** The checked change; a 400 naming the field when a value is not one Neon allows. */
    EndpointUpdate toUpdate() {
        return new EndpointUpdate(branchId, autoscalingLimitMinCu, autoscalingLimitMaxCu,
                NeonName.parse(ComputeProvisioner.class, "endpoint.provisioner", provisioner),
                settings == null ? null : settings.pgSettings(), poolerEnabled,
                NeonName.parse(PoolerMode.class, "endpoint.pooler_mode", poolerMode), disabled,
                suspendTimeoutSeconds);
    }
}
