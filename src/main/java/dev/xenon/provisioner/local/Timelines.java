package dev.xenon.provisioner.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.compute.ReconcileState;
import dev.xenon.provisioner.local.copy.Clone;
import dev.xenon.provisioner.local.copy.DataCopies;
import dev.xenon.provisioner.local.copy.Recycling;
import dev.xenon.provisioner.local.copy.SchemaOnly;
import dev.xenon.provisioner.local.copy.Spares;
import dev.xenon.provisioner.local.history.History;
import dev.xenon.provisioner.local.history.Recovery;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.MaintenanceServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Branch data on disk: one data directory per timeline, made by cloning a template (root branches), the parent's
 * current data, or a point of a branch's history. A timeline is assembled in a staging directory and renamed into
 * place when complete, so a crash never leaves a half-made branch that a re-run would take for a finished one.
 */
final class Timelines {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String WAL_TAIL = "wal-tail";
    private static final String RESTORE_ID = "restore-id";

    private final DataLayout layout;
    private final Templates templates;
    private final DataCopies copies;
    private final MaintenanceServer maintenance;
    private final AdminJdbc jdbc;
    private final History history;
    private final Recycling recycling;

    private final Spares spares;

    Timelines(DataLayout layout, Templates templates, DataCopies copies, MaintenanceServer maintenance, AdminJdbc jdbc,
              History history, Recycling recycling, int sparesPerMajor) {
        this.layout = requireNonNull(layout, "layout is null");
        this.templates = requireNonNull(templates, "templates is null");
        this.copies = requireNonNull(copies, "copies is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.history = requireNonNull(history, "history is null");
        this.recycling = requireNonNull(recycling, "recycling is null");
        this.spares = new Spares(layout.templates().resolve("spares"), sparesPerMajor, recycling, this::makeRoot);
    }

    /** Keeps ready-made root timelines of {@code major}, so the next projects need not wait for a copy. */
    void keepSpares(int major) {
        spares.refill(major);
    }

    /** A root timeline directory, not yet claimed by any branch: the template's data, roles still to apply. */
    private void makeRoot(int major, Path timeline) {
        Path template = templates.get(major);
        DataLayout.traversableDir(timeline);
        copies.cloner().dataDirectory(template, DataLayout.pgdata(timeline), DataCopies.walOfCleanCluster(template),
                false);
        ReconcileState.EMPTY_PENDING.write(DataLayout.state(timeline));
    }

    /** Stops making spares. */
    void close() {
        spares.close();
    }

    Path dir(String projectId, String branchId) {
        return layout.timeline(projectId, branchId);
    }

    Path dir(TimelineSpec spec) {
        return dir(spec.projectId(), spec.branchId());
    }

    boolean exists(String projectId, String branchId) {
        return Files.isDirectory(DataLayout.pgdata(dir(projectId, branchId)));
    }

    /**
     * A project's first timeline: a copy of the template; roles and databases are applied before first use. Its
     * history starts with the template itself as base copy.
     */
    BranchPoint createRoot(TimelineSpec root) {
        Path dir = dir(root.projectId(), root.branchId());
        if (Files.isDirectory(dir)) {
            return readBranchPoint(dir);
        }
        Path staging = staging(dir);
        recycling.deleteTree(staging);
        if (spares.take(root.pgVersion(), staging).isEmpty()) {
            makeRoot(root.pgVersion(), staging);
        }
        history.prepare(staging);
        history.recordTemplateBase(staging, root.pgVersion(), Instant.now());
        Path pgdata = DataLayout.pgdata(staging);
        // A root branch has no parent, hence no branch point; only its size.
        BranchPoint point = new BranchPoint(null, null, Clone.logicalSize(pgdata));
        writeBranchPoint(staging, point);
        publish(staging, dir);
        return point;
    }

    /** The branch point of a timeline that exists already (a step run again after it completed). */
    Optional<BranchPoint> made(TimelineSpec spec) {
        Path dir = dir(spec);
        return Files.isDirectory(dir) ? Optional.of(readBranchPoint(dir)) : Optional.empty();
    }

    /** An empty staging directory for a new timeline, with its history directories; leftovers are thrown away. */
    Path freshStaging(TimelineSpec spec) {
        return prepared(staging(dir(spec)));
    }

    private Path prepared(Path staging) {
        history.prepare(staging);
        return staging;
    }

    /**
     * Copies the source's data as of now into {@code staging}: through an online backup when its compute runs
     * (on {@code sourcePort}), else by copying its shut-down data directory. The caller holds the source's lock.
     */
    BranchPoint copyNow(TimelineSpec source, Path staging, OptionalInt sourcePort, String purpose) {
        Path sourceDir = dir(source);
        Path pgdata = DataLayout.pgdata(sourceDir);
        if (!Files.isDirectory(pgdata)) {
            throw new IllegalStateException("branch " + source.branchId() + " has no data yet");
        }
        long lsn;
        try {
            lsn = sourcePort.isPresent()
                    ? copies.online(source.pgVersion(), sourcePort.getAsInt(), pgdata, DataLayout.pgdata(staging),
                            purpose).stopLsn()
                    : copies.offline(source.pgVersion(), pgdata, DataLayout.pgdata(staging),
                            DataLayout.log(sourceDir, "maintenance"), history.archiving(sourceDir));
        } catch (SQLException e) {
            throw new IllegalStateException("while taking an online backup of branch " + source.branchId() + ": "
                    + e.getMessage(), e);
        }
        return new BranchPoint(ControlFile.format(lsn), Instant.now(), null);
    }

    /** Where a source's WAL that its archive does not hold yet is copied for a recovery into {@code staging}. */
    static Path walTail(Path staging) {
        return staging.resolve(WAL_TAIL);
    }

    /**
     * Rebuilds the source's data as of {@code at} into {@code staging} from its history, reading WAL from
     * {@code walDirs}. The reported point is the one asked for, with the other half (LSN for a time, time for an
     * LSN) taken from where recovery stopped.
     */
    BranchPoint copyAt(TimelineSpec source, PointInTime at, Path staging, List<Path> walDirs) {
        Recovery.Outcome outcome = history.rebuild(dir(source), source.pgVersion(), at, walDirs,
                DataLayout.pgdata(staging), DataLayout.archive(staging), DataLayout.log(staging, "recovery"));
        String lsn = at.lsn() != null ? at.lsn() : ControlFile.format(outcome.lsn());
        Instant timestamp = at.timestamp() != null ? at.timestamp() : outcome.lastCommit().orElseGet(Instant::now);
        return new BranchPoint(lsn, timestamp, null);
    }

    /**
     * Completes a timeline made in {@code staging}: empties its tables for a schema-only branch, records its first
     * base copy and the roles and databases it holds, and writes its branch point.
     */
    BranchPoint finish(TimelineSpec child, TimelineSpec source, Path staging, BranchPoint point, boolean schemaOnly) {
        Path tail = walTail(staging);
        if (Files.exists(tail)) {
            recycling.deleteTree(tail);
        }
        Path pgdata = DataLayout.pgdata(staging);
        if (schemaOnly) {
            maintenance.run(child.pgVersion(), pgdata, DataLayout.log(staging, "maintenance"),
                    "emptying the tables of a schema-only branch", history.archiving(staging), port -> {
                        new SchemaOnly(jdbc).emptyAllDatabases(port);
                        return null;
                    });
        }
        history.recordFirstBase(staging, pgdata, child.pgVersion(), ControlFile.parse(point.lsn()),
                point.timestamp());
        ReconcileState.read(DataLayout.state(dir(source))).forChild(child).write(DataLayout.state(staging));
        BranchPoint made = new BranchPoint(point.lsn(), point.timestamp(), Clone.logicalSize(pgdata));
        writeBranchPoint(staging, made);
        return made;
    }

    /** Renames a finished staging directory into place. */
    void publish(Path staging, Path dir) {
        try {
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("while publishing timeline " + dir, e);
        }
    }

    // ---------------------------------------------------------------- restore in place

    /** Where a restore builds the branch's new data, next to its current one. */
    Path restoreStaging(TimelineSpec target) {
        Path dir = dir(target);
        return dir.resolveSibling("." + dir.getFileName() + ".restore");
    }

    /** The result of restore {@code restoreId} if it completed already. */
    Optional<BranchPoint> restored(TimelineSpec target, String restoreId) {
        Path dir = dir(target);
        return restoreId.equals(readRestoreId(dir)) ? Optional.of(readBranchPoint(dir)) : Optional.empty();
    }

    /** The new data restore {@code restoreId} built before a crash, if it finished building. */
    Optional<BranchPoint> built(TimelineSpec target, String restoreId) {
        Path staging = restoreStaging(target);
        return restoreId.equals(readRestoreId(staging)) && Files.exists(DataLayout.branchPoint(staging))
                ? Optional.of(readBranchPoint(staging)) : Optional.empty();
    }

    /** A fresh directory for restore {@code restoreId} to build in. */
    Path freshRestoreStaging(TimelineSpec target) {
        Path staging = restoreStaging(target);
        if (Files.exists(staging)) {
            recycling.deleteTree(staging);
        }
        return prepared(DataLayout.traversableDir(staging));
    }

    void markBuilt(Path staging, String restoreId) {
        try {
            Files.writeString(staging.resolve(RESTORE_ID), restoreId, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("while marking " + staging, e);
        }
    }

    /**
     * Puts the built data in place of the branch's: its current directory (data, history, logs) becomes
     * {@code preserveAs}'s when given, else is deleted. Every step checks what is done, so a re-run after a crash
     * between them completes it. The caller has stopped the branch's computes and holds its locks.
     */
    void swap(TimelineSpec target, String preserveAs) {
        Path dir = dir(target);
        Path staging = restoreStaging(target);
        Path trash = dir.resolveSibling("." + dir.getFileName() + ".replaced");
        try {
            if (Files.exists(dir)) {
                if (preserveAs != null) {
                    Path backup = dir(target.projectId(), preserveAs);
                    if (Files.exists(backup)) {
                        throw new IllegalStateException("cannot preserve branch " + target.branchId() + " as "
                                + preserveAs + ": " + backup + " exists");
                    }
                    Path replicas = dir.resolve("replicas");
                    if (Files.exists(replicas)) {
                        recycling.deleteTree(replicas);
                    }
                    Files.move(dir, backup, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.move(dir, trash, StandardCopyOption.ATOMIC_MOVE);
                }
            } else if (preserveAs != null && !Files.exists(dir(target.projectId(), preserveAs))) {
                throw new IllegalStateException("branch " + target.branchId() + " has no data to preserve as "
                        + preserveAs);
            }
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("while putting the restored data of branch " + target.branchId()
                    + " in place", e);
        }
        if (Files.exists(trash)) {
            recycling.deleteTree(trash);
        }
    }

    // ---------------------------------------------------------------- replicas

    /**
     * A copy of a branch's data for a read_only compute, into {@code target}: through an online backup of the
     * running primary (on {@code primaryPort}), or of its shut-down data.
     */
    void copyForReplica(String projectId, String branchId, int major, Path target, OptionalInt primaryPort) {
        Path dir = dir(projectId, branchId);
        Path source = DataLayout.pgdata(dir);
        if (!Files.isDirectory(source)) {
            throw new IllegalStateException("branch " + branchId + " has no data yet");
        }
        DataLayout.traversableDir(target.getParent());
        try {
            if (primaryPort.isPresent()) {
                copies.online(major, primaryPort.getAsInt(), source, target, "replica");
            } else {
                copies.offline(major, source, target, DataLayout.log(dir, "maintenance"), history.archiving(dir));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("while taking an online backup of branch " + branchId + " for a replica: "
                    + e.getMessage(), e);
        }
    }

    /** Removes the timeline with everything under it (replicas, logs, history), and the project's directory once empty. */
    void delete(String projectId, String branchId) {
        Path dir = dir(projectId, branchId);
        for (Path path : List.of(dir, stagingPath(dir), dir.resolveSibling("." + dir.getFileName() + ".restore"),
                dir.resolveSibling("." + dir.getFileName() + ".replaced"))) {
            if (Files.exists(path)) {
                recycling.deleteTree(path);
            }
        }
        Path project = dir.getParent();
        try (Stream<Path> rest = Files.exists(project) ? Files.list(project) : Stream.empty()) {
            if (Files.exists(project) && rest.findAny().isEmpty()) {
                Files.deleteIfExists(project);
            }
        } catch (IOException e) {
            // Only an empty directory is left behind; the next deletion in the project retries.
        }
    }

    ReconcileState state(String projectId, String branchId) {
        return ReconcileState.read(DataLayout.state(dir(projectId, branchId)));
    }

    void saveState(String projectId, String branchId, ReconcileState state) {
        state.write(DataLayout.state(dir(projectId, branchId)));
    }

    private static Path stagingPath(Path dir) {
        return dir.resolveSibling("." + dir.getFileName() + ".staging");
    }

    /** An empty staging directory; one left by an attempt that crashed is thrown away. */
    private Path staging(Path dir) {
        Path staging = stagingPath(dir);
        if (Files.exists(staging)) {
            recycling.deleteTree(staging);
        }
        return DataLayout.traversableDir(staging);
    }

    private static void writeBranchPoint(Path dir, BranchPoint point) {
        try {
            JSON.writeValue(DataLayout.branchPoint(dir).toFile(), point);
        } catch (IOException e) {
            throw new UncheckedIOException("while writing the branch point of " + dir, e);
        }
    }

    private static BranchPoint readBranchPoint(Path dir) {
        try {
            return JSON.readValue(DataLayout.branchPoint(dir).toFile(), BranchPoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("while reading the branch point of " + dir, e);
        }
    }

    private static String readRestoreId(Path dir) {
        try {
            Path file = dir.resolve(RESTORE_ID);
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("while reading " + dir.resolve(RESTORE_ID), e);
        }
    }
}
