package dev.xenon.control.model;

import dev.xenon.control.ComputeLimits;

import java.util.Map;

/** Settings new endpoints of a project inherit, as Neon's {@code DefaultEndpointSettings}. */
public record DefaultEndpointSettings(
        Map<String, String> pgSettings,
        Double autoscalingLimitMinCu,
        Double autoscalingLimitMaxCu,
        Integer suspendTimeoutSeconds) {

    public DefaultEndpointSettings {
        ComputeLimits.check("project.default_endpoint_settings", autoscalingLimitMinCu, autoscalingLimitMaxCu,
                suspendTimeoutSeconds);
        pgSettings = pgSettings == null ? null : Map.copyOf(pgSettings);
    }

    public DefaultEndpointSettings withDefaults() {
        double min = autoscalingLimitMinCu == null ? 0.25 : autoscalingLimitMinCu;
        double max = autoscalingLimitMaxCu == null ? Math.max(min, 0.25) : autoscalingLimitMaxCu;
        return new DefaultEndpointSettings(pgSettings, min, max,
                suspendTimeoutSeconds == null ? 0 : suspendTimeoutSeconds);
    }

    public static DefaultEndpointSettings empty() {
        return new DefaultEndpointSettings(null, null, null, null);
    }
}
