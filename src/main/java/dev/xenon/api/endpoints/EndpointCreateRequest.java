package dev.xenon.api.endpoints;

import dev.xenon.api.representations.EndpointRepresentation.Settings;
import dev.xenon.control.NeonName;
import dev.xenon.control.endpoints.EndpointCreate;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.EndpointType;
import dev.xenon.control.model.PoolerMode;

/**
 * Neon's {@code EndpointCreateRequest.endpoint} (also an item of a branch create's {@code endpoints}), as sent.
 * {@code passwordless_access} is accepted and has no effect.
 */
public record EndpointCreateRequest(
        String branchId,
        String regionId,
        String type,
        Settings settings,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        String provisioner,
        Boolean poolerEnabled,
        String poolerMode,
        Boolean disabled,
        Boolean passwordlessAccess,
        Integer suspendTimeoutSeconds) {

    /** The checked request; a 400 naming the field when a value is not one Neon allows. */
    public EndpointCreate toCreate() {
        return new EndpointCreate(branchId, regionId, NeonName.parse(EndpointType.class, "endpoint.type", type),
                settings == null ? null : settings.pgSettings(), autoscalingLimitMinCu, autoscalingLimitMaxCu,
                NeonName.parse(ComputeProvisioner.class, "endpoint.provisioner", provisioner), poolerEnabled,
                NeonName.parse(PoolerMode.class, "endpoint.pooler_mode", poolerMode), disabled,
                suspendTimeoutSeconds);
    }
}
