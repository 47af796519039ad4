package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.MaintenanceServer;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.WalSegments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The two ways to copy a cluster's data so that the copy starts: an online base backup of a running server, or a
 * copy of a cleanly shut-down one with the WAL of its last checkpoint.
 */
public final class DataCopies {
    // A shutdown checkpoint record is far smaller than this; it may still spill into the next WAL segment.
    private static final long CHECKPOINT_RECORD_MAX = 512;

    /** Where an online copy's WAL starts (its backup label's start) and where it becomes consistent. */
    public record Online(long startLsn, long stopLsn, int timeline) {}

    private final Clone clone;
    private final AdminJdbc jdbc;
    private final MaintenanceServer maintenance;
    private final Optional<OsUser> user;

    public DataCopies(Clone clone, AdminJdbc jdbc, MaintenanceServer maintenance, Optional<OsUser> user) {
        this.clone = requireNonNull(clone, "clone is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.maintenance = requireNonNull(maintenance, "maintenance is null");
        this.user = requireNonNull(user, "user is null");
    }

    public Optional<OsUser> user() {
        return user;
    }

    public Clone cloner() {
        return clone;
    }

    /**
     * Copies the data of the server running on {@code port} (data directory {@code source}) into the new directory
     * {@code target}, with the backup label and exactly the WAL from the backup's start to its stop.
     */
    public Online online(int major, int port, Path source, Path target, String purpose) throws SQLException {
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
        return new Online(start, stopped.stopLsn(), stopped.timeline());
    }

    /**
     * Copies a shut-down data directory with the WAL of its last checkpoint. If its server crashed, a temporary
     * postmaster (with {@code settings}, e.g. archiving) first finishes recovery. Returns the checkpoint's LSN.
     */
    public long offline(int major, Path source, Path target, Path log, Map<String, String> settings) {
        if (!ControlFile.read(source).cleanlyShutDown()) {
            maintenance.run(major, source, log, "recovering after a crash", settings, port -> null);
        }
        ControlFile control = ControlFile.read(source);
        clone.dataDirectory(source, target, walOfCleanCluster(source), false);
        return control.checkpoint();
    }

    /** The WAL a cleanly shut-down cluster needs to start: the segment(s) of its last checkpoint record. */
    public static List<Path> walOfCleanCluster(Path pgdata) {
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

    public void writeOwned(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            user.ifPresent(u -> u.chown(file));
        } catch (IOException e) {
            throw new UncheckedIOException("while writing " + file, e);
        }
    }
}
