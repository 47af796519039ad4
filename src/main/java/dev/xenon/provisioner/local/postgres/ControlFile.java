package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The few fields of a cluster's global/pg_control that tell whether it was shut down cleanly and where its last
 * checkpoint is, read without starting Postgres (the binaries we ship have no pg_controldata).
 *
 * <p>Offsets follow ControlFileData in src/include/catalog/pg_control.h, unchanged from Postgres 9.3 through 18:
 * system_identifier (uint64) at 0, pg_control_version and catalog_version_no (uint32) at 8 and 12, state
 * (DBState) at 16, time (pg_time_t, 8-aligned) at 24, checkPoint (XLogRecPtr) at 32, then checkPointCopy whose
 * redo (XLogRecPtr) is at 40 and ThisTimeLineID (uint32) at 48. The file is in the machine's byte order.
 */
public record ControlFile(int state, Instant time, long checkpoint, long redo, int timeline) {
    /** DBState DB_SHUTDOWNED: a clean shutdown of a primary. */
    static final int SHUT_DOWN = 1;
    /** DBState DB_SHUTDOWNED_IN_RECOVERY: a clean shutdown of a standby. */
    static final int SHUT_DOWN_IN_RECOVERY = 2;

    public static ControlFile read(Path pgdata) {
        Path file = pgdata.resolve("global").resolve("pg_control");
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 52) {
                throw new IllegalStateException(file + " is too short to be a pg_control file");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
            return new ControlFile(buffer.getInt(16), Instant.ofEpochSecond(buffer.getLong(24)), buffer.getLong(32),
                    buffer.getLong(40), buffer.getInt(48));
        } catch (IOException e) {
            throw new UncheckedIOException("while reading " + file, e);
        }
    }

    public boolean cleanlyShutDown() {
        return state == SHUT_DOWN;
    }

    /** An LSN as Postgres prints it, e.g. {@code 0/16B3748}. */
    public static String format(long lsn) {
        return String.format("%X/%X", lsn >>> 32, lsn & 0xFFFFFFFFL);
    }

    /** Parses Postgres' printed form of an LSN. */
    public static long parse(String lsn) {
        int slash = lsn.indexOf('/');
        if (slash < 1) {
            throw new IllegalArgumentException("not an LSN: '" + lsn + "'");
        }
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
