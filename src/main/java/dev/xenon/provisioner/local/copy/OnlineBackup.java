package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A non-exclusive base backup of a running server through the low-level API (docs: "Making a Base Backup Using
 * the Low Level API"): between {@link #start} and {@link #stop} the server writes full pages to WAL, so a copy
 * of its files taken meanwhile, plus the backup label and the WAL up to the stop point, recovers to a consistent
 * state without stopping the server. The session that started the backup must be the one that stops it, so it is
 * held open in between; closing it aborts the backup.
 */
final class OnlineBackup implements AutoCloseable {
    private static final Pattern START_TIMELINE = Pattern.compile("(?m)^START TIMELINE: (\\d+)$");

    /** What pg_backup_stop returns: the label and tablespace map files to write into the copy, and its end. */
    record Stopped(long stopLsn, String labelFile, String tablespaceMap, int timeline) {}

    private final Connection session;
    private final int major;
    private final long startLsn;

    private OnlineBackup(Connection session, int major, long startLsn) {
        this.session = session;
        this.major = major;
        this.startLsn = startLsn;
    }

    /** Starts a backup with an immediate checkpoint, so the copy can begin at once. */
    static OnlineBackup start(AdminJdbc jdbc, int port, int major, String label) throws SQLException {
        requireNonNull(label, "label is null");
        Connection session = jdbc.open(port, "postgres");
        try {
            // Postgres 15 renamed the functions and dropped exclusive mode (release notes, "pg_backup_start").
            String sql = major >= 15 ? "select pg_backup_start(?, true)::text" : "select pg_start_backup(?, true, false)::text";
            try (PreparedStatement start = session.prepareStatement(sql)) {
                start.setString(1, label);
                try (ResultSet rs = start.executeQuery()) {
                    rs.next();
                    return new OnlineBackup(session, major, ControlFile.parse(rs.getString(1)));
                }
            }
        } catch (SQLException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    long startLsn() {
        return startLsn;
    }

    /**
     * Ends the backup. On a primary this also switches to a new WAL segment, so the segment holding the stop
     * point is complete once this returns. Archiving is not waited for: the copy takes its WAL from pg_wal.
     */
    Stopped stop() throws SQLException {
        String sql = major >= 15 ? "select lsn::text, labelfile, spcmapfile from pg_backup_stop(false)"
                : "select lsn::text, labelfile, spcmapfile from pg_stop_backup(false, false)";
        try (PreparedStatement stop = session.prepareStatement(sql); ResultSet rs = stop.executeQuery()) {
            rs.next();
            String label = rs.getString(2);
            Matcher timeline = START_TIMELINE.matcher(label);
            if (!timeline.find()) {
                throw new IllegalStateException("the backup label has no START TIMELINE line:\n" + label);
            }
            String map = rs.getString(3);
            return new Stopped(ControlFile.parse(rs.getString(1)), label, map == null ? "" : map,
                    Integer.parseInt(timeline.group(1)));
        }
    }

    @Override
    public void close() throws SQLException {
        session.close();
    }
}
