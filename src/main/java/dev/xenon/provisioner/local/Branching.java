package dev.xenon.provisioner.local;

import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.HistoryRange;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.compute.Compute;
import dev.xenon.provisioner.local.compute.Computes;
import dev.xenon.provisioner.local.copy.Clone;
import dev.xenon.provisioner.local.history.History;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.MaintenanceServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * Makes and replaces branch data: a child from its parent's current data or from a point of a history, a branch's
 * data in place from another's (restore), and each branch's history kept in shape. A source's lock is held only
 * while its data is copied or its WAL gathered, never for a replay, so its compute is not held up; when two locks
 * are held, the child's is taken before its source's.
 */
final class Branching {
    private static final Logger LOG = LoggerFactory.getLogger(Branching.class);

    private final Timelines timelines;
    private final History history;
    private final Computes computes;
    private final BranchLocks locks;
    private final HistoryLocks historyLocks;
    private final MaintenanceServer maintenance;
    private final Clone clone;
    private final AdminJdbc jdbc;

    Branching(Timelines timelines, History history, Computes computes, BranchLocks locks, HistoryLocks historyLocks,
              MaintenanceServer maintenance, Clone clone, AdminJdbc jdbc) {
        this.timelines = requireNonNull(timelines, "timelines is null");
        this.history = requireNonNull(history, "history is null");
        this.computes = requireNonNull(computes, "computes is null");
        this.locks = requireNonNull(locks, "locks is null");
        this.historyLocks = requireNonNull(historyLocks, "historyLocks is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.clone = requireNonNull(clone, "clone is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    BranchPoint createBranch(TimelineSpec child, TimelineSpec parent, PointInTime at, boolean schemaOnly) {
        long started = System.nanoTime();
        return locks.with(child.branchId(), () -> {
            Optional<BranchPoint> done = timelines.made(child);
            if (done.isPresent()) {
                return done.get();
            }
            Path staging = timelines.freshStaging(child);
            BranchPoint point;
            String how;
            if (at.isNow()) {
                OptionalInt[] port = new OptionalInt[1];
                point = locks.with(parent.branchId(), () -> {
                    port[0] = computes.writerPort(parent.branchId());
                    return timelines.copyNow(parent, staging, port[0], "branch " + child.branchId());
                });
                how = port[0].isPresent() ? "online backup" : "offline copy";
            } else {
                List<Path> wal = walOf(parent, staging);
                point = historyLocks.reading(parent.branchId(), () -> timelines.copyAt(parent, at, staging, wal));
                how = "recovery to " + at;
            }
            BranchPoint made = timelines.finish(child, parent, staging, point, schemaOnly);
            timelines.publish(staging, timelines.dir(child));
            LOG.info("branch {} of {} ready in {} ms ({}{})", child.branchId(), parent.branchId(), millis(started), how,
                    schemaOnly ? ", schema only" : "");
            return made;
        });
    }

    BranchPoint restoreBranch(TimelineSpec target, TimelineSpec source, PointInTime at, String preserveAs,
                              String restoreId) {
        // One build at a time per branch (a step run twice at once would share the staging directory); not the
        // branch's own lock, which its compute and the history upkeep need while a replay runs.
        return locks.with(target.branchId() + "/restore", () -> restore(target, source, at, preserveAs, restoreId));
    }

    private BranchPoint restore(TimelineSpec target, TimelineSpec source, PointInTime at, String preserveAs,
                                String restoreId) {
        long started = System.nanoTime();
        Optional<BranchPoint> done = locks.with(target.branchId(), () -> timelines.restored(target, restoreId));
        if (done.isPresent()) {
            return done.get();
        }
        // Built next to the branch while its computes may still run: they stop only for the swap.
        BranchPoint point = timelines.built(target, restoreId).orElseGet(() -> {
            Path staging = locks.with(target.branchId(), () -> timelines.freshRestoreStaging(target));
            BranchPoint from;
            if (at.isNow()) {
                from = locks.with(source.branchId(), () -> timelines.copyNow(source, staging,
                        computes.writerPort(source.branchId()), "restore of " + target.branchId()));
            } else {
                List<Path> wal = walOf(source, staging);
                from = historyLocks.reading(source.branchId(), () -> timelines.copyAt(source, at, staging, wal));
            }
            BranchPoint built = timelines.finish(target, source, staging, from, false);
            timelines.markBuilt(staging, restoreId);
            return built;
        });
        locks.run(target.branchId(), () -> historyLocks.writing(target.branchId(), () -> {
            computes.onBranch(target.branchId()).forEach(computes::stop);
            timelines.swap(target, preserveAs);
        }));
        LOG.info("branch {} restored from {} at {} in {} ms{}", target.branchId(), source.branchId(),
                at.isNow() ? "its head" : at, millis(started),
                preserveAs == null ? "" : "; previous data kept as " + preserveAs);
        return point;
    }

    /**
     * The directories a recovery reads the source's WAL from: its archive, after making its running compute
     * archive everything written so far, or, when it is shut down, also a copy of what it had not archived yet.
     */
    private List<Path> walOf(TimelineSpec source, Path staging) {
        return locks.with(source.branchId(), () -> {
            Path dir = timelines.dir(source);
            Path archive = DataLayout.archive(dir);
            Optional<Compute> running = computes.readWriteOn(source.branchId());
            if (running.isPresent()) {
                history.archive().flush(jdbc, running.get().port(), archive);
                return List.of(archive);
            }
            Path pgdata = DataLayout.pgdata(dir);
            if (!ControlFile.read(pgdata).cleanlyShutDown()) {
                // Its compute crashed: finish its recovery first, so its WAL ends where its data does.
                maintenance.run(source.pgVersion(), pgdata, DataLayout.log(dir, "maintenance"),
                        "recovering after a crash", history.archiving(dir), port -> null);
            }
            Path tail = Timelines.walTail(staging);
            history.archive().copyTail(pgdata, archive, tail, clone);
            return List.of(archive, tail);
        });
    }

    /** Runs the removal of a branch's data once no recovery reads its history. */
    void deleting(String branchId, Runnable work) {
        historyLocks.writing(branchId, work);
    }

    HistoryRange range(String projectId, String branchId) {
        return history.range(timelines.dir(projectId, branchId), computes.writerPort(branchId));
    }

    /** Takes a base copy when the branch needs one, and trims what its retention no longer needs. */
    void maintain(String projectId, String branchId, int pgVersion, Instant keepFrom) {
        Path dir = timelines.dir(projectId, branchId);
        if (!timelines.exists(projectId, branchId)) {
            return;
        }
        if (history.needsBase(dir, computes.writerPort(branchId))) {
            locks.run(branchId, () -> {
                OptionalInt port = computes.writerPort(branchId);
                if (timelines.exists(projectId, branchId) && history.needsBase(dir, port)) {
                    history.takeBase(dir, pgVersion, port);
                }
            });
        }
        // A recovery reading this history holds it; trimming waits for the next round rather than for the replay.
        historyLocks.tryWriting(branchId, 100, () -> {
            if (timelines.exists(projectId, branchId)) {
                history.trim(dir, keepFrom);
            }
        });
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }
}
