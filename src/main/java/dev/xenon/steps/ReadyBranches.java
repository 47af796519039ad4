package dev.xenon.steps;

import dev.xenon.control.model.BranchState;
import dev.xenon.control.model.BranchStore;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.store.Db;

import java.time.Clock;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/** Records that the provisioner made a branch's data: where it branched, and that it is ready. */
final class ReadyBranches {
    private final Db db;
    private final BranchStore branches;
    private final Clock clock;

    ReadyBranches(Db db, BranchStore branches, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.branches = requireNonNull(branches, "branches is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    void ready(String branchId, BranchPoint point) {
        ready(branchId, point, null);
    }

    /** @param preservedId the branch that now holds the data {@code branchId} had before a restore, or null */
    void ready(String branchId, BranchPoint point, String preservedId) {
        db.run(h -> {
            Instant now = clock.instant();
            branches.recordBranchPoint(h, branchId, point.lsn(), point.timestamp(), point.logicalSize());
            branches.setState(h, branchId, BranchState.READY, null, now);
            if (preservedId != null) {
                branches.setState(h, preservedId, BranchState.READY, null, now);
            }
        });
    }
}
