package dev.xenon.control.model;


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

    /** A builder holding this project's fields, to change some of them by name. */
    public Builder toBuilder() {
        return new Builder().id(id).orgId(orgId).name(name).regionId(regionId).pgVersion(pgVersion)
                .provisioner(provisioner).storePasswords(storePasswords)
                .historyRetentionSeconds(historyRetentionSeconds).defaultEndpointSettings(defaultEndpointSettings)
                .settings(settings).creationSource(creationSource).createdAt(createdAt).updatedAt(updatedAt)
                .computeLastActiveAt(computeLastActiveAt).dataTransferBytes(dataTransferBytes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a project by field name; a field left unset is null, false or zero. */
    public static final class Builder {
        private String id;
        private String orgId;
        private String name;
        private String regionId;
        private int pgVersion;
        private ComputeProvisioner provisioner;
        private boolean storePasswords;
        private int historyRetentionSeconds;
        private DefaultEndpointSettings defaultEndpointSettings;
        private ProjectSettings settings;
        private String creationSource;
        private Instant createdAt;
        private Instant updatedAt;
        private Instant computeLastActiveAt;
        private long dataTransferBytes;

        private Builder() {}

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder orgId(String orgId) {
            this.orgId = orgId;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder regionId(String regionId) {
            this.regionId = regionId;
            return this;
        }

        public Builder pgVersion(int pgVersion) {
            this.pgVersion = pgVersion;
            return this;
        }

        public Builder provisioner(ComputeProvisioner provisioner) {
            this.provisioner = provisioner;
            return this;
        }

        public Builder storePasswords(boolean storePasswords) {
            this.storePasswords = storePasswords;
            return this;
        }

        public Builder historyRetentionSeconds(int historyRetentionSeconds) {
            this.historyRetentionSeconds = historyRetentionSeconds;
            return this;
        }

        public Builder defaultEndpointSettings(DefaultEndpointSettings defaultEndpointSettings) {
            this.defaultEndpointSettings = defaultEndpointSettings;
            return this;
        }

        public Builder settings(ProjectSettings settings) {
            this.settings = settings;
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

        public Builder computeLastActiveAt(Instant computeLastActiveAt) {
            this.computeLastActiveAt = computeLastActiveAt;
            return this;
        }

        public Builder dataTransferBytes(long dataTransferBytes) {
            this.dataTransferBytes = dataTransferBytes;
            return this;
        }

        public Project build() {
            return new Project(id, orgId, name, regionId, pgVersion, provisioner, storePasswords,
                    historyRetentionSeconds, defaultEndpointSettings, settings, creationSource, createdAt, updatedAt,
                    computeLastActiveAt, dataTransferBytes);
        }
    }
}
