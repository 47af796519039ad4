package dev.xenon.provisioner;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The only code that touches Postgres processes and data. Every method is idempotent: the operations engine
 * runs a step again after a crash or a failed attempt, so a repeated call must converge on the same result.
 */
public interface Provisioner extends AutoCloseable {

    /** Creates a project's root timeline with its first role and database. */
    BranchPoint createRootTimeline(TimelineSpec root);

    /**
     * Creates {@code child}'s data from {@code parent} as of now, or as of {@code at} in the parent's history
     * (the caller has checked that the point is in the parent's own retained history).
     */
    BranchPoint createBranch(TimelineSpec child, TimelineSpec parent, PointInTime at, boolean schemaOnly);

    /**
     * Replaces {@code target}'s data with {@code source}'s as of {@code at} (now when {@link PointInTime#NOW}); the
     * source may be the target itself. The target's computes are stopped first (the caller starts them again).
     * With {@code preserveAs} (a branch id), the target's previous data and history become that branch's.
     *
     * @param restoreId identifies this restore, so that running it again after it completed changes nothing
     */
    BranchPoint restoreBranch(TimelineSpec target, TimelineSpec source, PointInTime at, String preserveAs,
                              String restoreId);

    /**
     * What of a branch's history can be branched from; empty when the provisioner keeps no history at all (so no
     * check is possible).
     */
    default Optional<HistoryRange> history(String projectId, String branchId) {
        return Optional.empty();
    }

    /**
     * Keeps a branch's history in shape: takes the base copies it needs and removes what no moment since
     * {@code keepFrom} needs. Called periodically for every branch.
     */
    default void maintainHistory(String projectId, String branchId, int pgVersion, Instant keepFrom) {}

    /** Stops every compute on the branch and removes its data. */
    void deleteTimeline(String projectId, String branchId);

    /** Brings roles and databases of a branch's data in line with {@code spec}. */
    void applyConfig(TimelineSpec spec);

    void startCompute(ComputeSpec compute);

    void stopCompute(String endpointId);

    /**
     * Registers who to tell when a compute stops without being asked to (crash, kill, out of memory), with the
     * endpoint id. Called at most once per unexpected exit, from a background thread.
     */
    default void onComputeExit(Consumer<String> listener) {}

    /** Where the endpoint's compute accepts connections (loopback), while it runs. */
    default Optional<InetSocketAddress> computeAddress(String endpointId) {
        return Optional.empty();
    }

    @Override
    default void close() {}

    record TimelineSpec(String projectId, String branchId, int pgVersion, List<RoleSpec> roles,
                        List<DatabaseSpec> databases) {}

    /** {@code scramVerifier} is null for roles that cannot log in. */
    record RoleSpec(String name, String scramVerifier, boolean noLogin) {}

    /** {@code id} is stable across renames, so the data plane can tell a rename from a drop and a create. */
    record DatabaseSpec(long id, String name, String ownerName) {}

    /** Where a branch starts: {@code lsn} and/or {@code timestamp}; both null means "now". */
    record PointInTime(String lsn, Instant timestamp) {
        public static final PointInTime NOW = new PointInTime(null, null);

        public boolean isNow() {
            return lsn == null && timestamp == null;
        }
    }

    /**
     * The retained history of a branch: points from {@code earliestLsn} / {@code earliestTime} (null: no history
     * yet) up to {@code currentLsn} (null: no data yet).
     */
    record HistoryRange(String earliestLsn, Instant earliestTime, String currentLsn) {}

    /** The real branch point and resulting size; fields are null when the provisioner holds no data. */
    record BranchPoint(String lsn, Instant timestamp, Long logicalSize) {}

    /**
     * A compute for one endpoint.
     *
     * @param port     where the compute listens, or 0 (what the server passes) for the provisioner to choose; never
     *                 the endpoint's own port, which belongs to the proxy
     * @param primary  for a read_only compute, the branch's read_write endpoint if it has one (its replica follows
     *                 it wherever that compute runs); null otherwise
     * @param timeline the branch's roles and databases, applied when a read_write compute starts
     */
    record ComputeSpec(String projectId, String branchId, String endpointId, int pgVersion, boolean readOnly,
                       double minCu, double maxCu, boolean logicalReplication, Map<String, String> pgSettings,
                       int port, Primary primary, TimelineSpec timeline) {
        public ComputeSpec {
            requireNonNull(endpointId, "endpointId is null");
            pgSettings = pgSettings == null ? Map.of() : Map.copyOf(pgSettings);
        }
    }

    /** The read_write endpoint of a branch, as seen by a replica of it: its size bounds the replica's. */
    record Primary(String endpointId, double minCu, double maxCu) {}
}
