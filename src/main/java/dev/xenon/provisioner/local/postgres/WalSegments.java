package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Names of WAL segment files (XLogFileName in src/include/access/xlog_internal.h) and which ones a copy needs. */
public final class WalSegments {
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history");

    private WalSegments() {
    }

    /** The file name of the segment holding byte {@code lsn} of timeline {@code timeline}. */
    public static String name(int timeline, long lsn, long segmentSize) {
        long segment = Long.divideUnsigned(lsn, segmentSize);
        long perId = 0x1_0000_0000L / segmentSize;
        return String.format("%08X%08X%08X", timeline, segment / perId, segment % perId);
    }

    /** The segment size of a cluster, read off its WAL files (they all have exactly that size). */
    public static long segmentSize(Path walDir) {
        try (Stream<Path> files = Files.list(walDir)) {
            for (Path file : files.toList()) {
                if (SEGMENT.matcher(file.getFileName().toString()).matches()) {
                    long size = Files.size(file);
                    if (size > 0 && Long.bitCount(size) == 1) {
                        return size;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while reading the WAL segment size in " + walDir, e);
        }
        throw new IllegalStateException("no WAL segment in " + walDir + " to tell the segment size from");
    }

    /**
     * The files of {@code walDir} that recovery from {@code from} to {@code to} (inclusive) needs on
     * {@code timeline}: those segments, and every timeline history file. Recycled segments that are only
     * preallocated for the future are left out: they would cost a copy and hold nothing.
     */
    public static List<Path> needed(Path walDir, int timeline, long from, long to, long segmentSize) {
        String first = name(timeline, from, segmentSize);
        String last = name(timeline, to, segmentSize);
        List<Path> needed = new ArrayList<>();
        try (Stream<Path> files = Files.list(walDir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (HISTORY.matcher(name).matches()) {
                    needed.add(file);
                } else if (SEGMENT.matcher(name).matches() && name.compareTo(first) >= 0 && name.compareTo(last) <= 0) {
                    needed.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while listing WAL in " + walDir, e);
        }
        long expected = Long.divideUnsigned(to, segmentSize) - Long.divideUnsigned(from, segmentSize) + 1;
        long present = needed.stream().filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).count();
        if (present != expected) {
            throw new IllegalStateException("WAL segments " + first + " to " + last + " are needed to reach a"
                    + " consistent state but only " + present + " of " + expected + " are in " + walDir
                    + " (removed by a checkpoint meanwhile?)");
        }
        return needed;
    }
}
