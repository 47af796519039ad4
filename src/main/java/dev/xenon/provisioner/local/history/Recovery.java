package dev.xenon.provisioner.local.history;

import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.PostgresServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Point-in-time recovery of a copy of a base (docs: "Recovering Using a Continuous Archive Backup" and
 * "Recovery Target"): recovery.signal, restore_command reading the archive, a recovery target, and
 * recovery_target_action=promote, so the copy ends as a primary on a timeline of its own. hot_standby is off, so
 * the postmaster reports ready only once promoted.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);
    /** Replaying many segments takes time: a gigabyte is about ten seconds on a laptop, minutes on a slow disk. */
    private static final Duration TIMEOUT = Duration.ofMinutes(30);
    // xlogrecovery.c: recovery ran out of WAL before meeting the target (no later record, hence no later commit).
    private static final String TARGET_NOT_REACHED = "recovery ended before configured recovery target was reached";

    // recovery_target_time takes Postgres' own timestamp input, not ISO 8601's T separator.
    private static final DateTimeFormatter TARGET_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    /** What to stop at. */
    sealed interface Target {
        /** Everything strictly before this LSN: the state pg_current_wal_lsn() reported at that point. */
        record Lsn(long lsn) implements Target {}

        /** Every transaction committed at or before this moment (recovery_target_inclusive). */
        record Time(Instant at) implements Target {}

        /** As soon as the copy is consistent. */
        record Immediate() implements Target {}

        /** The end of the available WAL. */
        record End() implements Target {}
    }

    /** Where recovery stopped: the end of the last record replayed, and the last replayed commit's time. */
    public record Outcome(long lsn, Optional<Instant> lastCommit) {}

    private final Distributions distributions;
    private final Optional<OsUser> user;
    private final Path hbaFile;
    private final AdminJdbc jdbc;
    private final WalArchive archive;

    /** @param hbaFile the client authentication rules the computes share (the internal superuser's way in) */
    public Recovery(Distributions distributions, Optional<OsUser> user, Path hbaFile, AdminJdbc jdbc,
                    WalArchive archive) {
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.hbaFile = requireNonNull(hbaFile, "hbaFile is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.archive = requireNonNull(archive, "archive is null");
    }

    /**
     * Recovers {@code pgdata} (a fresh copy of a base) to {@code target}, reading WAL from {@code walDirs} in order,
     * archiving what the promoted server writes into {@code newArchive}, and leaves it cleanly shut down.
     *
     * <p>When the target lies after the last commit in the WAL, Postgres stops with "recovery ended before
     * configured recovery target was reached". The callers make sure the WAL given reaches past the target (the
     * source's archive was flushed, or its unarchived tail copied), so the state at the target is then simply the
     * end of that WAL: recovery is resumed without a target.
     */
    Outcome run(int major, Path pgdata, List<Path> walDirs, Target target, Path newArchive, Path log) {
        signal(pgdata);
        PostgresServer server = new PostgresServer(distributions.get(major), user, pgdata);
        DataLayout.privateDir(log.getParent());
        try {
            server.start(0, settings(walDirs, target, newArchive), log, TIMEOUT);
        } catch (IllegalStateException e) {
            if (!(target instanceof Target.Lsn || target instanceof Target.Time)
                    || !String.valueOf(e.getMessage()).contains(TARGET_NOT_REACHED)) {
                throw e;
            }
            LOG.info("no WAL record after recovery target {} in {}: recovering to the end of the WAL", target, walDirs);
            server.start(0, settings(walDirs, new Target.End(), newArchive), log, TIMEOUT);
        }
        try (Connection c = jdbc.open(server.port(), "postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select pg_is_in_recovery(), pg_last_wal_replay_lsn()::text, "
                     + "pg_last_xact_replay_timestamp()")) {
            rs.next();
            if (rs.getBoolean(1)) {
                throw new IllegalStateException("recovery of " + pgdata + " did not end with a promotion");
            }
            String replayed = rs.getString(2);
            Timestamp commit = rs.getTimestamp(3);
            long lsn = replayed == null ? ControlFile.read(pgdata).checkpoint() : ControlFile.parse(replayed);
            return new Outcome(lsn, Optional.ofNullable(commit).map(Timestamp::toInstant));
        } catch (SQLException e) {
            throw new IllegalStateException("while reading where recovery of " + pgdata + " stopped: "
                    + e.getMessage(), e);
        } finally {
            server.stop();
        }
    }

    private void signal(Path pgdata) {
        try {
            Path signal = pgdata.resolve("recovery.signal");
            Files.writeString(signal, "");
            user.ifPresent(u -> u.chown(signal));
        } catch (IOException e) {
            throw new UncheckedIOException("while asking for recovery of " + pgdata, e);
        }
    }

    private Map<String, String> settings(List<Path> walDirs, Target target, Path newArchive) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("hba_file", hbaFile.toString());
        settings.put("shared_buffers", "32MB");
        settings.put("max_connections", "20");
        settings.put("max_wal_senders", "0");
        settings.put("wal_level", "logical");
        settings.put("hot_standby", "off");
        settings.put("restore_command", archive.restoreCommand(walDirs));
        settings.put("recovery_target_timeline", "latest");
        settings.put("recovery_target_action", "promote");
        switch (target) {
            case Target.Lsn lsn -> {
                settings.put("recovery_target_lsn", ControlFile.format(lsn.lsn()));
                // Exclusive: a record starting exactly at the target LSN was written after that point.
                settings.put("recovery_target_inclusive", "off");
            }
            case Target.Time time -> {
                settings.put("recovery_target_time", TARGET_TIME.format(time.at()));
                settings.put("recovery_target_inclusive", "on");
            }
            case Target.Immediate immediate -> settings.put("recovery_target", "immediate");
            case Target.End end -> { }
        }
        settings.putAll(archive.archiving(newArchive));
        return settings;
    }
}
