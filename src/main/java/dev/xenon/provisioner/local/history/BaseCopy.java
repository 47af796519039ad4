package dev.xenon.provisioner.local.history;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.provisioner.local.copy.Recycling;
import dev.xenon.provisioner.local.postgres.DataLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One base copy in a branch's history: a data directory that recovery starts from before replaying the archive.
 * Stored as {@code history/bases/<name>/base.json} and {@code .../pgdata/}; a root branch's first base is the
 * template itself ({@code templateMajor}), which never changes, so it costs nothing.
 *
 * @param startLsn      where its WAL starts (backup start, or redo point of a clean copy): archive before it is
 *                      not needed by this base
 * @param consistentLsn where replay from it reaches a consistent state (backup stop, or the checkpoint)
 * @param fromLsn       the earliest point of the branch it can be the start for (its branch point, for the base
 *                      made when the branch was)
 * @param fromTime      the earliest moment it can be the start for
 * @param templateMajor non-zero: the base is the template of that major
 */
public record BaseCopy(String name, long startLsn, long consistentLsn, long fromLsn, Instant fromTime, int timeline,
                int templateMajor) {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    private static final String STAGING = ".staging-";

    static String nameFor(long consistentLsn, Instant at) {
        return String.format("%016X-%d", consistentLsn, at.toEpochMilli());
    }

    /** The base copies of a timeline, oldest first; unfinished ones (crash while copying) are thrown away. */
    public static List<BaseCopy> list(Path timeline) {
        Path bases = DataLayout.bases(timeline);
        if (!Files.isDirectory(bases)) {
            return List.of();
        }
        List<BaseCopy> all = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(bases)) {
            for (Path dir : dirs.toList()) {
                if (dir.getFileName().toString().startsWith(STAGING)) {
                    continue;
                }
                Path meta = dir.resolve("base.json");
                if (Files.exists(meta)) {
                    all.add(JSON.readValue(meta.toFile(), BaseCopy.class));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while listing the base copies in " + bases, e);
        }
        all.sort(Comparator.comparing(BaseCopy::fromTime).thenComparingLong(BaseCopy::fromLsn));
        return all;
    }

    /** The newest base that can start recovery to {@code lsn}. */
    static Optional<BaseCopy> forLsn(List<BaseCopy> bases, long lsn) {
        return bases.stream().filter(b -> Long.compareUnsigned(b.fromLsn, lsn) <= 0)
                .max(Comparator.comparingLong(BaseCopy::fromLsn).thenComparing(BaseCopy::fromTime));
    }

    /** The newest base that can start recovery to the moment {@code at}. */
    static Optional<BaseCopy> forTime(List<BaseCopy> bases, Instant at) {
        return bases.stream().filter(b -> !b.fromTime.isAfter(at))
                .max(Comparator.comparing(BaseCopy::fromTime).thenComparingLong(BaseCopy::fromLsn));
    }

    /** Where a base is assembled before {@link #publish}; one left by a crash is removed first. */
    static Path staging(Path timeline, String name, Recycling recycling) {
        Path staging = DataLayout.bases(timeline).resolve(STAGING + name);
        if (Files.exists(staging)) {
            recycling.deleteTree(staging);
        }
        DataLayout.traversableDir(staging);
        return staging;
    }

    /** Records the base and renames its staging directory into place. */
    void publish(Path timeline, Path staging) {
        try {
            DataLayout.traversableDir(DataLayout.bases(timeline));
            JSON.writeValue(staging.resolve("base.json").toFile(), this);
            Files.move(staging, dir(timeline), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("while recording base copy " + name + " of " + timeline, e);
        }
    }

    Path dir(Path timeline) {
        return DataLayout.bases(timeline).resolve(name);
    }

    /** The data directory to start from: the copy, or the template. */
    Path pgdata(Path timeline, DataLayout layout) {
        return templateMajor != 0 ? layout.template(templateMajor) : dir(timeline).resolve("pgdata");
    }

    void remove(Path timeline, Recycling recycling) {
        Path dir = dir(timeline);
        Path doomed = dir.resolveSibling(STAGING + "removing-" + name);
        try {
            // Renamed first, so a crash halfway never leaves a base that looks complete but is not.
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("while removing base copy " + dir, e);
        }
        recycling.deleteTree(doomed);
    }
}
