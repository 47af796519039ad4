package dev.xenon.control.branches;

import dev.xenon.control.model.BranchStore;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Keeps every branch's history within its project's history_retention_seconds, run periodically: the data plane
 * takes the base copies a branch needs and removes history that no retained moment needs, so storage follows the
 * window instead of growing without bound.
 */
public final class HistoryRetention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRetention.class);

    private final Db db;
    private final BranchStore branches;
    private final Provisioner provisioner;
    private final Clock clock;

    public HistoryRetention(Db db, BranchStore branches, Provisioner provisioner, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.branches = requireNonNull(branches, "branches is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void run() {
        List<BranchStore.HistoryScope> scopes = db.read(branches::historyScopes);
        for (BranchStore.HistoryScope scope : scopes) {
            Instant keepFrom = clock.instant().minus(Duration.ofSeconds(scope.retentionSeconds()));
            try {
                provisioner.maintainHistory(scope.projectId(), scope.branchId(), scope.pgVersion(), keepFrom);
            } catch (RuntimeException e) {
                LOG.warn("while keeping the history of branch {}: {}", scope.branchId(), e.toString());
            }
        }
    }
}
