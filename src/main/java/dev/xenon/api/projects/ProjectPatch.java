package dev.xenon.api.projects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.ProjectSettings;
import dev.xenon.control.projects.ProjectUpdate;

import java.util.function.UnaryOperator;

/**
 * Reads the {@code project} object of Neon's project PATCH. Nested settings objects merge into the stored ones, one
 * level deep (so a PATCH of only {@code settings.allowed_ips.ips} keeps every other setting, and the allowlist's
 * {@code protected_branches_only}); the merged result is then checked as a whole.
 */
final class ProjectPatch {
    private final ObjectMapper json;

    ProjectPatch(ObjectMapper json) {
        this.json = json;
    }

    ProjectUpdate read(JsonNode patch) {
        String name = null;
        if (patch.has("name")) {
            if (!patch.get("name").isTextual()) {
                throw DomainException.invalid("project.name must be a string");
            }
            name = patch.get("name").asText();
            Check.length("project.name", name, 1, 256);
        }
        Integer retention = null;
        if (patch.has("history_retention_seconds")) {
            JsonNode value = patch.get("history_retention_seconds");
            if (!value.isIntegralNumber()) {
                throw DomainException.invalid("project.history_retention_seconds must be an integer");
            }
            Check.range("project.history_retention_seconds", value.asLong(), 0, 2_592_000);
            retention = value.asInt();
        }
        return new ProjectUpdate(name, retention, merge(patch, "settings", ProjectSettings.class),
                merge(patch, "default_endpoint_settings", DefaultEndpointSettings.class));
    }

    /** The change {@code field} asks for; null when the patch does not name it, no change when it is null. */
    private <T> UnaryOperator<T> merge(JsonNode patch, String field, Class<T> type) {
        if (!patch.has(field)) {
            return null;
        }
        JsonNode changes = patch.get(field);
        if (changes.isNull()) {
            return UnaryOperator.identity();
        }
        if (!changes.isObject()) {
            throw DomainException.invalid("project." + field + " must be an object");
        }
        return current -> {
            ObjectNode merged = json.valueToTree(current);
            changes.fields().forEachRemaining(change -> {
                JsonNode existing = merged.get(change.getKey());
                if (existing instanceof ObjectNode existingObject && change.getValue().isObject()) {
                    existingObject.setAll((ObjectNode) change.getValue());
                } else {
                    merged.set(change.getKey(), change.getValue());
                }
            });
            return json.convertValue(merged, type);
        };
    }
}
