package dev.xenon.control.projects;

import dev.xenon.control.Check;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.ProjectSettings;

import java.util.List;

/** A project to create; null fields take their defaults. Checked on construction. */
public record ProjectCreate(
        String name,
        Integer pgVersion,
        String regionId,
        String orgId,
        Boolean storePasswords,
        Integer historyRetentionSeconds,
        ComputeProvisioner provisioner,
        DefaultEndpointSettings defaultEndpointSettings,
        ProjectSettings settings,
        DefaultBranch branch) {

    public ProjectCreate {
        Check.length("project.name", name, 1, 256);
        Check.oneOf("project.pg_version", pgVersion == null ? null : pgVersion.toString(),
                List.of("14", "15", "16", "17", "18"));
        Check.range("project.history_retention_seconds", historyRetentionSeconds, 0, 2_592_000);
    }

    public static ProjectCreate empty() {
        return new ProjectCreate(null, null, null, null, null, null, null, null, null, null);
    }

    public record DefaultBranch(String name, String roleName, String databaseName) {
        public DefaultBranch {
            Check.length("project.branch.name", name, 1, 256);
            if (roleName != null) {
                Check.identifier("project.branch.role_name", roleName);
            }
            if (databaseName != null) {
                Check.identifier("project.branch.database_name", databaseName);
            }
        }
    }
}
