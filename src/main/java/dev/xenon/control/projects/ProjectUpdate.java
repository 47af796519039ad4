package dev.xenon.control.projects;

import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.ProjectSettings;

import java.util.function.UnaryOperator;

/**
 * A partial update of a project: a null field stays as it is. The settings objects change as patches of what is
 * stored, applied inside the update's transaction so that two updates of different settings both take effect.
 * Its fields are checked where the request is read.
 */
public record ProjectUpdate(
        String name,
        Integer historyRetentionSeconds,
        UnaryOperator<ProjectSettings> settings,
        UnaryOperator<DefaultEndpointSettings> defaultEndpointSettings) {
}
