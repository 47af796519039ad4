package dev.xenon.provisioner.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.TimelineSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Branch data on disk: one data directory per timeline, made by cloning a template (root branches) or the
 * parent (child branches). A timeline is assembled in a staging directory and renamed into place when complete,
 * so a crash never leaves a half-made branch that a re-run would take for a finished one.
 */
final class Timelines {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    // A shutdown checkpoint record is far smaller than this; it may still spill into the next WAL segment.
    private static final long CHECKPOINT_RECORD_MAX = 512;

    private final DataLayout layout;
    private final Templates templates;
    private final Clone clone;
    private final MaintenanceServer maintenance;
    private final AdminJdbc jdbc;
    private final Optional<OsUser> user;

    private final Spares spares;

    Timelines(DataLayout layout, Templates templates, Clone clone, MaintenanceServer maintenance, AdminJdbc jdbc,
              Optional<OsUser> user, int sparesPerMajor) {
        this.layout = requireNonNull(layout, "layout is null");
        this.templates = requireNonNull(templates, "templates is null");
        this.clone = requireNonNull(clone, "clone is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.user = requireNonNull(user, "user is null");
        this.spares = new Spares(layout.templates().resolve("spares"), sparesPerMajor, this::makeRoot);
    }

    /** Keeps ready-made root timelines of {@code major}, so the next projects need not wait for a copy. */
    void keepSpares(int major) {
        spares.refill(major);
    }

    /** A root timeline directory, not yet claimed by any branch: the template's data, roles still to apply. */
    private void makeRoot(int major, Path timeline) {
        Path template = templates.get(major);
        DataLayout.traversableDir(timeline);
        clone.dataDirectory(template, DataLayout.pgdata(timeline), walOfCleanCluster(template), false);
        ReconcileState.EMPTY_PENDING.write(DataLayout.state(timeline));
    }

    /** Stops making spares. */
    void close() {
        spares.close();
    }

    Path dir(String projectId, String branchId) {
        return layout.timeline(projectId, branchId);
    }

    boolean exists(String projectId, String branchId) {
        return Files.isDirectory(DataLayout.pgdata(dir(projectId, branchId)));
    }

    /** A project's first timeline: a copy of the template; roles and databases are applied before first use. */
    BranchPoint createRoot(TimelineSpec root) {
        Path dir = dir(root.projectId(), root.branchId());
        if (Files.isDirectory(dir)) {
            return readBranchPoint(dir);
        }
        Path staging = staging(dir);
        Distribution.deleteTree(staging);
        if (spares.take(root.pgVersion(), staging).isEmpty()) {
            makeRoot(root.pgVersion(), staging);
        }
        Path pgdata = DataLayout.pgdata(staging);
        // A root branch has no parent, hence no branch point; only its size.
        return publish(staging, dir, new BranchPoint(null, null, logicalSize(pgdata)));
    }

    /**
     * A child timeline with the parent's data as of now: through an online backup when the parent's compute
     * runs (on {@code parentPort}), else by copying its shut-down data directory.
     */
    BranchPoint createBranch(TimelineSpec child, TimelineSpec parent, boolean schemaOnly, OptionalInt parentPort) {
        Path dir = dir(child.projectId(), child.branchId());
        if (Files.isDirectory(dir)) {
            return readBranchPoint(dir);
        }
        Path parentDir = dir(parent.projectId(), parent.branchId());
        Path source = DataLayout.pgdata(parentDir);
        if (!Files.isDirectory(source)) {
            throw new IllegalStateException("the parent branch " + parent.branchId() + " has no data yet");
        }
        Path staging = staging(dir);
        Path pgdata = DataLayout.pgdata(staging);
        long lsn;
        try {
            if (parentPort.isPresent()) {
                lsn = copyOnline(parent.pgVersion(), parentPort.getAsInt(), source, pgdata, "branch " + child.branchId());
            } else {
                lsn = copyOffline(parent.pgVersion(), source, pgdata, DataLayout.log(parentDir, "maintenance"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("while taking an online backup of branch " + parent.branchId() + ": "
                    + e.getMessage(), e);
        }
        Instant at = Instant.now();
        if (schemaOnly) {
            maintenance.run(child.pgVersion(), pgdata, DataLayout.log(staging, "maintenance"),
                    "emptying the tables of a schema-only branch", port -> {
                        new SchemaOnly(jdbc).emptyAllDatabases(port);
                        return null;
                    });
        }
        ReconcileState.read(DataLayout.state(parentDir)).forChild(child).write(DataLayout.state(staging));
        return publish(staging, dir, new BranchPoint(ControlFile.format(lsn), at, logicalSize(pgdata)));
    }

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
                copyOnline(major, primaryPort.getAsInt(), source, target, "replica");
            } else {
                copyOffline(major, source, target, DataLayout.log(dir, "maintenance"));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("while taking an online backup of branch " + branchId + " for a replica: "
                    + e.getMessage(), e);
        }
    }

    private long copyOnline(int major, int port, Path source, Path target, String purpose) throws SQLException {
        OnlineBackup.Stopped stopped;
        long start;
        try (OnlineBackup backup = OnlineBackup.start(jdbc, port, major, "xenon " + purpose)) {
            start = backup.startLsn();
            clone.dataDirectory(source, target, List.of(), true);
            stopped = backup.stop();
        }
        writeOwned(target.resolve("backup_label"), stopped.labelFile());
        if (!stopped.tablespaceMap().isEmpty()) {
            writeOwned(target.resolve("tablespace_map"), stopped.tablespaceMap());
        }
        Path wal = source.resolve("pg_wal");
        // The stop LSN is the end of the backup-end record: the byte before it is the last one recovery needs.
        clone.copy(WalSegments.needed(wal, stopped.timeline(), start, stopped.stopLsn() - 1,
                WalSegments.segmentSize(wal)), target.resolve("pg_wal"), false);
        return stopped.stopLsn();
    }

    private long copyOffline(int major, Path source, Path target, Path log) {
        if (!ControlFile.read(source).cleanlyShutDown()) {
            // Its compute crashed: let Postgres finish recovery, so the copy starts from a clean checkpoint.
            maintenance.run(major, source, log, "recovering after a crash", port -> null);
        }
        ControlFile control = ControlFile.read(source);
        clone.dataDirectory(source, target, walOfCleanCluster(source), false);
        return control.checkpoint();
    }

    /** The WAL a cleanly shut-down cluster needs to start: the segment(s) of its last checkpoint record. */
    private static List<Path> walOfCleanCluster(Path pgdata) {
        ControlFile control = ControlFile.read(pgdata);
        if (!control.cleanlyShutDown()) {
            throw new IllegalStateException(pgdata + " was not shut down cleanly (state " + control.state() + ")");
        }
        Path wal = pgdata.resolve("pg_wal");
        long segmentSize = WalSegments.segmentSize(wal);
        List<Path> files = new ArrayList<>(WalSegments.needed(wal, control.timeline(), control.redo(),
                control.checkpoint(), segmentSize));
        Path spill = wal.resolve(WalSegments.name(control.timeline(), control.checkpoint() + CHECKPOINT_RECORD_MAX,
                segmentSize));
        if (Files.exists(spill) && !files.contains(spill)) {
            files.add(spill);
        }
        return files;
    }

    /** Removes the timeline with everything under it (replicas, logs), and the project's directory once empty. */
    void delete(String projectId, String branchId) {
        Path dir = dir(projectId, branchId);
        for (Path path : List.of(dir, stagingPath(dir))) {
            if (Files.exists(path)) {
                Distribution.deleteTree(path);
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

    /** Logical size: what pg_database_size sums over all databases, i.e. the files under base/. */
    static long logicalSize(Path pgdata) {
        return Clone.size(pgdata.resolve("base"));
    }

    private static Path stagingPath(Path dir) {
        return dir.resolveSibling("." + dir.getFileName() + ".staging");
    }

    /** An empty staging directory; one left by an attempt that crashed is thrown away. */
    private static Path staging(Path dir) {
        Path staging = stagingPath(dir);
        if (Files.exists(staging)) {
            Distribution.deleteTree(staging);
        }
        return DataLayout.traversableDir(staging);
    }

    private BranchPoint publish(Path staging, Path dir, BranchPoint point) {
        try {
            JSON.writeValue(DataLayout.branchPoint(staging).toFile(), point);
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            return point;
        } catch (IOException e) {
            throw new UncheckedIOException("while publishing timeline " + dir, e);
        }
    }

    private static BranchPoint readBranchPoint(Path dir) {
        try {
            return JSON.readValue(DataLayout.branchPoint(dir).toFile(), BranchPoint.class);
        } catch (IOException e) {
            throw new UncheckedIOException("while reading the branch point of " + dir, e);
        }
    }

    private void writeOwned(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            user.ifPresent(u -> u.chown(file));
        } catch (IOException e) {
            throw new UncheckedIOException("while writing " + file, e);
        }
    }
}
