package dev.xenon.api.representations;

import dev.xenon.control.Regions;
import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectSettings;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Neon's {@code Project} (and, being a superset, {@code ProjectListItem}). Usage counters are not metered yet. */
public record ProjectRepresentation(
        long dataStorageBytesHour,
        long dataTransferBytes,
        long writtenDataBytes,
        long computeTimeSeconds,
        long activeTimeSeconds,
        long activeTime,
        long cpuUsedSec,
        String id,
        String platformId,
        String regionId,
        String name,
        String provisioner,
        DefaultEndpointSettings defaultEndpointSettings,
        ProjectSettings settings,
        int pgVersion,
        String proxyHost,
        long branchLogicalSizeLimit,
        long branchLogicalSizeLimitBytes,
        boolean storePasswords,
        String creationSource,
        int historyRetentionSeconds,
        Instant createdAt,
        Instant updatedAt,
        long syntheticStorageSize,
        Instant consumptionPeriodStart,
        Instant consumptionPeriodEnd,
        String ownerId,
        Instant computeLastActiveAt,
        String orgId) {

    public static ProjectRepresentation of(Project p, Regions.Region region, String proxyHost) {
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        Long quota = p.settings().quota() == null ? null : p.settings().quota().logicalSizeBytes();
        long limitBytes = quota == null ? 0 : quota;
        return new ProjectRepresentation(0, p.dataTransferBytes(), 0, 0, 0, 0, 0, p.id(), region.platformId(), p.regionId(), p.name(),
                p.provisioner().value(), p.defaultEndpointSettings(), p.settings(), p.pgVersion(), proxyHost,
                limitBytes / (1024 * 1024), limitBytes, p.storePasswords(), p.creationSource(),
                p.historyRetentionSeconds(), p.createdAt(), p.updatedAt(), 0,
                month.atStartOfDay().toInstant(ZoneOffset.UTC),
                month.plusMonths(1).atStartOfDay().toInstant(ZoneOffset.UTC), p.orgId(), p.computeLastActiveAt(),
                p.orgId());
    }
}
