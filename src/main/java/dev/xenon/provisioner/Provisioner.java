package dev.xenon.provisioner;

import java.time.Instant;
import java.util.List;

/**
 * The only code that touches Postgres processes and data. Every method is idempotent: the operations engine
 * runs a step again after a crash or a failed attempt, so a repeated call must converge on the same result.
 */
public interface Provisioner extends AutoCloseable {

    /** Creates a project's root timeline with its first role and database. */
    BranchPoint createRootTimeline(TimelineSpec root);

    /** Creates {@code child}'s data from {@code parent} as of now, or as of {@code at} when given. */
    BranchPoint createBranch(TimelineSpec child, TimelineSpec parent, PointInTime at, boolean schemaOnly);

    void deleteTimeline(String projectId, String branchId);

    /** Brings roles and databases of a branch's data in line with {@code spec}. */
    void applyConfig(TimelineSpec spec);

    void startCompute(ComputeSpec compute);

    void stopCompute(String endpointId);

    @Override
    default void close() {}

    record TimelineSpec(String projectId, String branchId, int pgVersion, List<RoleSpec> roles,
                        List<DatabaseSpec> databases) {}

    record RoleSpec(String name, String scramVerifier, boolean noLogin) {}

    record DatabaseSpec(String name, String ownerName) {}

    /** Where a branch starts: {@code lsn} and/or {@code timestamp}; both null means "now". */
    record PointInTime(String lsn, Instant timestamp) {
        public static final PointInTime NOW = new PointInTime(null, null);
    }

    /** The real branch point and resulting size; fields are null when the provisioner holds no data. */
    record BranchPoint(String lsn, Instant timestamp, Long logicalSize) {}

    record ComputeSpec(String projectId, String branchId, String endpointId, int pgVersion, boolean readOnly,
                       double minCu, double maxCu, boolean logicalReplication,
                       java.util.Map<String, String> pgSettings) {}
}
