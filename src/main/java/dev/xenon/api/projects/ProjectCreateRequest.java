package dev.xenon.api.projects;

import dev.xenon.control.NeonName;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.ProjectSettings;
import dev.xenon.control.projects.ProjectCreate;

/** Neon's {@code ProjectCreateRequest.project}, as sent. */
public record ProjectCreateRequest(
        String name,
        Integer pgVersion,
        String regionId,
        String orgId,
        Boolean storePasswords,
        Integer historyRetentionSeconds,
        String provisioner,
        DefaultEndpointSettings defaultEndpointSettings,
        ProjectSettings settings,
        ProjectCreate.DefaultBranch branch) {

    /** The checked request; a 400 naming the field when a value is not one Neon allows. */
    ProjectCreate toCreate() {
        return new ProjectCreate(name, pgVersion, regionId, orgId, storePasswords, historyRetentionSeconds,
                NeonName.parse(ComputeProvisioner.class, "project.provisioner", provisioner), defaultEndpointSettings,
                settings, branch);
    }
}
