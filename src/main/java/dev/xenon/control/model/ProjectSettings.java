package dev.xenon.control.model;

import dev.xenon.control.Check;
import dev.xenon.control.DomainException;

import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** Project-wide settings as Neon's {@code ProjectSettingsData}; checked on construction. */
public record ProjectSettings(
        Quota quota,
        AllowedIps allowedIps,
        Boolean enableLogicalReplication,
        MaintenanceWindow maintenanceWindow,
        Boolean blockPublicConnections,
        Boolean blockVpcConnections,
        String auditLogLevel,
        Boolean hipaa,
        PreloadLibraries preloadLibraries) {

    public ProjectSettings {
        Check.oneOf("project.settings.audit_log_level", auditLogLevel, List.of("base", "extended", "full"));
    }

    /** What a new project gets where the request is silent, as Neon fills it in. */
    public ProjectSettings withDefaults() {
        return new ProjectSettings(
                quota,
                allowedIps == null ? new AllowedIps(List.of(), false) : allowedIps.withDefaults(),
                enableLogicalReplication == null ? Boolean.FALSE : enableLogicalReplication,
                maintenanceWindow == null ? MaintenanceWindow.DEFAULT : maintenanceWindow,
                blockPublicConnections == null ? Boolean.FALSE : blockPublicConnections,
                blockVpcConnections == null ? Boolean.FALSE : blockVpcConnections,
                auditLogLevel,
                hipaa == null ? Boolean.FALSE : hipaa,
                preloadLibraries);
    }

    public static ProjectSettings empty() {
        return new ProjectSettings(null, null, null, null, null, null, null, null, null);
    }

    public record Quota(Long activeTimeSeconds, Long computeTimeSeconds, Long writtenDataBytes,
                        Long dataTransferBytes, Long logicalSizeBytes) {
        public Quota {
            Check.range("project.settings.quota.active_time_seconds", activeTimeSeconds, 0, Long.MAX_VALUE);
            Check.range("project.settings.quota.compute_time_seconds", computeTimeSeconds, 0, Long.MAX_VALUE);
            Check.range("project.settings.quota.written_data_bytes", writtenDataBytes, 0, Long.MAX_VALUE);
            Check.range("project.settings.quota.data_transfer_bytes", dataTransferBytes, 0, Long.MAX_VALUE);
            Check.range("project.settings.quota.logical_size_bytes", logicalSizeBytes, 0, Long.MAX_VALUE);
        }
    }

    public record AllowedIps(List<String> ips, Boolean protectedBranchesOnly) {
        public AllowedIps {
            if (ips != null) {
                for (String ip : ips) {
                    IpRule.parse("project.settings.allowed_ips.ips", ip);
                }
                ips = List.copyOf(ips);
            }
        }

        AllowedIps withDefaults() {
            return new AllowedIps(ips == null ? List.of() : ips,
                    protectedBranchesOnly == null ? Boolean.FALSE : protectedBranchesOnly);
        }
    }

    public record MaintenanceWindow(List<Integer> weekdays, String startTime, String endTime) {
        private static final Set<Integer> DAYS = Set.of(1, 2, 3, 4, 5, 6, 7);
        static final MaintenanceWindow DEFAULT = new MaintenanceWindow(List.of(5), "07:00", "08:00");

        public MaintenanceWindow {
            String field = "project.settings.maintenance_window";
            Check.required(field + ".weekdays", weekdays);
            if (weekdays.isEmpty() || !DAYS.containsAll(weekdays)) {
                throw DomainException.invalid(field + ".weekdays must hold days 1 (Monday) to 7 (Sunday)");
            }
            weekdays = List.copyOf(weekdays);
            clock(field + ".start_time", startTime);
            clock(field + ".end_time", endTime);
        }

        private static void clock(String field, String value) {
            Check.required(field, value);
            try {
                if (value.length() != 5) {
                    throw new DateTimeParseException("", value, 0);
                }
                LocalTime.parse(value);
            } catch (DateTimeParseException e) {
                throw DomainException.invalid(field + " must be a UTC time as HH:MM, got '" + value + "'");
            }
        }
    }

    public record PreloadLibraries(Boolean useDefaults, List<String> enabledLibraries) {}
}
