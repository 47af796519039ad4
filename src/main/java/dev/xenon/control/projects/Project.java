package dev.xenon.control.projects;

import dev.xenon.control.endpoints.ComputeProvisioner;

import java.time.Instant;

public record Project(
        String id,
        String orgId,
        String name,
        String regionId,
        int pgVersion,
        ComputeProvisioner provisioner,
        boolean storePasswords,
        int historyRetentionSeconds,
        DefaultEndpointSettings defaultEndpointSettings,
        ProjectSettings settings,
        String creationSource,
        Instant createdAt,
        Instant updatedAt,
        Instant computeLastActiveAt,
        long dataTransferBytes) {
}
