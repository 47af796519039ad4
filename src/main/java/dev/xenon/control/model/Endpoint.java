package dev.xenon.control.model;

import java.time.Instant;
import java.util.Map;

public record Endpoint(
        String id,
        String projectId,
        String branchId,
        EndpointType type,
        String regionId,
        double autoscalingLimitMinCu,
        double autoscalingLimitMaxCu,
        ComputeProvisioner provisioner,
        int suspendTimeoutSeconds,
        boolean disabled,
        boolean poolerEnabled,
        PoolerMode poolerMode,
        Map<String, String> pgSettings,
        EndpointState currentState,
        EndpointState pendingState,
        Integer proxyPort,
        Instant lastActive,
        Instant startedAt,
        Instant suspendedAt,
        String creationSource,
        Instant createdAt,
        Instant updatedAt) {

    /** A builder holding this endpoint's fields, to change some of them by name. */
    public Builder toBuilder() {
        return new Builder().id(id).projectId(projectId).branchId(branchId).type(type).regionId(regionId)
                .autoscalingLimitMinCu(autoscalingLimitMinCu).autoscalingLimitMaxCu(autoscalingLimitMaxCu)
                .provisioner(provisioner).suspendTimeoutSeconds(suspendTimeoutSeconds).disabled(disabled)
                .poolerEnabled(poolerEnabled).poolerMode(poolerMode).pgSettings(pgSettings)
                .currentState(currentState).pendingState(pendingState).proxyPort(proxyPort)
                .lastActive(lastActive).startedAt(startedAt).suspendedAt(suspendedAt)
                .creationSource(creationSource).createdAt(createdAt).updatedAt(updatedAt);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a endpoint by field name; a field left unset is null, false or zero. */
    public static final class Builder {
        private String id;
        private String projectId;
        private String branchId;
        private EndpointType type;
        private String regionId;
        private double autoscalingLimitMinCu;
        private double autoscalingLimitMaxCu;
        private ComputeProvisioner provisioner;
        private int suspendTimeoutSeconds;
        private boolean disabled;
        private boolean poolerEnabled;
        private PoolerMode poolerMode;
        private Map<String, String> pgSettings;
        private EndpointState currentState;
        private EndpointState pendingState;
        private Integer proxyPort;
        private Instant lastActive;
        private Instant startedAt;
        private Instant suspendedAt;
        private String creationSource;
        private Instant createdAt;
        private Instant updatedAt;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        public Builder branchId(String branchId) {
            this.branchId = branchId;
            return this;
        }

        public Builder type(EndpointType type) {
            this.type = type;
            return this;
        }

        public Builder regionId(String regionId) {
            this.regionId = regionId;
            return this;
        }

        public Builder autoscalingLimitMinCu(double autoscalingLimitMinCu) {
            this.autoscalingLimitMinCu = autoscalingLimitMinCu;
            return this;
        }

        public Builder autoscalingLimitMaxCu(double autoscalingLimitMaxCu) {
            this.autoscalingLimitMaxCu = autoscalingLimitMaxCu;
            return this;
        }

        public Builder provisioner(ComputeProvisioner provisioner) {
            this.provisioner = provisioner;
            return this;
        }

        public Builder suspendTimeoutSeconds(int suspendTimeoutSeconds) {
            this.suspendTimeoutSeconds = suspendTimeoutSeconds;
            return this;
        }

        public Builder disabled(boolean disabled) {
            this.disabled = disabled;
            return this;
        }

        public Builder poolerEnabled(boolean poolerEnabled) {
            this.poolerEnabled = poolerEnabled;
            return this;
        }

        public Builder poolerMode(PoolerMode poolerMode) {
            this.poolerMode = poolerMode;
            return this;
        }

        public Builder pgSettings(Map<String, String> pgSettings) {
            this.pgSettings = pgSettings;
            return this;
        }

        public Builder currentState(EndpointState currentState) {
            this.currentState = currentState;
            return this;
        }

        public Builder pendingState(EndpointState pendingState) {
            this.pendingState = pendingState;
            return this;
        }

        public Builder proxyPort(Integer proxyPort) {
            this.proxyPort = proxyPort;
            return this;
        }

        public Builder lastActive(Instant lastActive) {
            this.lastActive = lastActive;
            return this;
        }

        public Builder startedAt(Instant startedAt) {
            this.startedAt = startedAt;
            return this;
        }

        public Builder suspendedAt(Instant suspendedAt) {
            this.suspendedAt = suspendedAt;
            return this;
        }

        public Builder creationSource(String creationSource) {
            this.creationSource = creationSource;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        public Endpoint build() {
            return new Endpoint(id, projectId, branchId, type, regionId, autoscalingLimitMinCu, autoscalingLimitMaxCu,
                    provisioner, suspendTimeoutSeconds, disabled, poolerEnabled, poolerMode, pgSettings, currentState,
                    pendingState, proxyPort, lastActive, startedAt, suspendedAt, creationSource, createdAt,
                    updatedAt);
        }
    }
}
