package dev.xenon.api.representations;

import dev.xenon.control.NeonName;
import dev.xenon.control.endpoints.EndpointAddress;
import dev.xenon.control.model.Endpoint;

import java.time.Instant;
import java.util.Map;

/** Neon's {@code Endpoint}. {@code host} is where the proxy answers for this endpoint. */
public record EndpointRepresentation(
        String host,
        String id,
        String projectId,
        String branchId,
        double autoscalingLimitMinCu,
        double autoscalingLimitMaxCu,
        String regionId,
        String type,
        String currentState,
        String pendingState,
        Settings settings,
        boolean poolerEnabled,
        String poolerMode,
        boolean disabled,
        boolean passwordlessAccess,
        Instant lastActive,
        String creationSource,
        Instant createdAt,
        Instant updatedAt,
        Instant startedAt,
        Instant suspendedAt,
        String proxyHost,
        int suspendTimeoutSeconds,
        String provisioner) {

    public record Settings(Map<String, String> pgSettings) {}

    public static EndpointRepresentation of(Endpoint e, EndpointAddress address) {
        return new EndpointRepresentation(address.host(e), e.id(), e.projectId(), e.branchId(),
                e.autoscalingLimitMinCu(), e.autoscalingLimitMaxCu(), e.regionId(), e.type().value(),
                e.currentState().value(), NeonName.of(e.pendingState()), new Settings(e.pgSettings()), e.poolerEnabled(), "transaction", e.disabled(),
                false, e.lastActive(), e.creationSource(), e.createdAt(), e.updatedAt(), e.startedAt(),
                e.suspendedAt(), address.proxyHost(), e.suspendTimeoutSeconds(), e.provisioner().value());
    }
}
