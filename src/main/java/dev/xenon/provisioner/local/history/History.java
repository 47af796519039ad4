package dev.xenon.provisioner.local.history;

import dev.xenon.provisioner.Provisioner.HistoryRange;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.local.copy.Clone;
import dev.xenon.provisioner.local.copy.DataCopies;
import dev.xenon.provisioner.local.copy.Recycling;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.WalSegments;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Each branch's history: the WAL its servers archived and base copies to replay it from, so that its data can be
 * rebuilt as of any retained moment. A branch gets a base copy when it is made (a root branch's is the template),
 * then another whenever enough WAL has been written since the last one, which keeps any replay short; history
 * older than the retention window is removed, keeping the one base that still serves the window's start.
 */
public final class History {
    private static final Logger LOG = LoggerFactory.getLogger(History.class);
    private static final Pattern LABEL_START = Pattern.compile("(?m)^START WAL LOCATION: ([0-9A-F]+/[0-9A-F]+)");
    private static final Pattern LABEL_TIMELINE = Pattern.compile("(?m)^START TIMELINE: (\\d+)$");

    /**
     * When to take another base copy: once the WAL since the newest one reaches {@code baseWalBytes} and also
     * {@code baseSizeFactor} times the data's size. The first bounds replay time; the second bounds what the copies
     * cost where each is a full copy (no reflinks): at most about one copy per data size written.
     */
    public record Policy(long baseWalBytes, double baseSizeFactor) {
        public static final Policy DEFAULT = new Policy(256L << 20, 1.0);

        public Policy {
            if (baseWalBytes < 0 || baseSizeFactor < 0) {
                throw new IllegalArgumentException("base copy thresholds must not be negative");
            }
        }
    }

    private final DataLayout layout;
    private final DataCopies copies;
    private final WalArchive archive;
    private final Recovery recovery;
    private final AdminJdbc jdbc;
    private final Policy policy;
    private final Recycling recycling;

    public History(DataLayout layout, DataCopies copies, WalArchive archive, Recovery recovery, AdminJdbc jdbc,
                   Policy policy, Recycling recycling) {
        this.layout = requireNonNull(layout, "layout is null");
        this.copies = requireNonNull(copies, "copies is null");
        this.archive = requireNonNull(archive, "archive is null");
        this.recovery = requireNonNull(recovery, "recovery is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.recycling = requireNonNull(recycling, "recycling is null");
    }

    public WalArchive archive() {
        return archive;
    }

    /** Creates the history directories of a timeline being made. */
    public void prepare(Path timeline) {
        archive.create(DataLayout.archive(timeline));
        DataLayout.traversableDir(DataLayout.bases(timeline));
    }

    /**
     * Settings for any server run on the timeline's data: archive into its history (made now for a branch from
     * before Xenon kept history).
     */
    public Map<String, String> archiving(Path timeline) {
        if (!Files.isDirectory(DataLayout.archive(timeline))) {
            prepare(timeline);
        }
        return archive.archiving(DataLayout.archive(timeline));
    }

    /** A root branch's first base: the template it was copied from, as of {@code at}. */
    public void recordTemplateBase(Path timeline, int major, Instant at) {
        ControlFile control = ControlFile.read(layout.template(major));
        BaseCopy base = new BaseCopy(BaseCopy.nameFor(control.checkpoint(), at), control.redo(), control.checkpoint(),
                control.checkpoint(), at, control.timeline(), major);
        base.publish(timeline, BaseCopy.staging(timeline, base.name(), recycling));
    }

    /**
     * A new branch's first base: a copy of its data as made (before any server ran on it), which holds the branch
     * point. {@code fromLsn} and {@code fromTime} are the branch point. Compacted against the major's template
     * ({@link CompactBase}): a branch per CI job should not cost a cluster's worth of disk for a day.
     */
    public void recordFirstBase(Path timeline, Path pgdata, int major, long fromLsn, Instant fromTime) {
        Path label = pgdata.resolve("backup_label");
        long start;
        long consistent;
        int tli;
        if (Files.exists(label)) {
            String text = read(label);
            start = ControlFile.parse(group(LABEL_START, text, label));
            tli = Integer.parseInt(group(LABEL_TIMELINE, text, label));
            consistent = fromLsn;
        } else {
            ControlFile control = ControlFile.read(pgdata);
            start = control.redo();
            consistent = control.checkpoint();
            tli = control.timeline();
        }
        BaseCopy base = new BaseCopy(BaseCopy.nameFor(consistent, fromTime), start, consistent, fromLsn, fromTime, tli, 0);
        Path staging = BaseCopy.staging(timeline, base.name(), recycling);
        copyStartable(pgdata, staging.resolve("pgdata"));
        CompactBase.compact(staging.resolve("pgdata"), layout.template(major));
        base.publish(timeline, staging);
    }

    /**
     * Whether the branch has written enough WAL since its newest base copy to take another (or has none yet,
     * e.g. it was made before history was kept). {@code port}: its running read_write compute, if any.
     */
    public boolean needsBase(Path timeline, OptionalInt port) {
        Path pgdata = DataLayout.pgdata(timeline);
        if (!Files.isDirectory(pgdata)) {
            return false;
        }
        List<BaseCopy> bases = BaseCopy.list(timeline);
        if (bases.isEmpty()) {
            return true;
        }
        BaseCopy newest = bases.stream().max(Comparator.comparing(BaseCopy::consistentLsn, Long::compareUnsigned))
                .orElseThrow();
        long from = newest.consistentLsn();
        if (newest.startLsn() != newest.consistentLsn()) {
            // An online copy ends with a segment switch (pg_backup_stop): that jump is no WAL written, and counting
            // it would make every base copy call for the next one. (A clean copy starts and ends at its checkpoint.)
            long segment = WalSegments.segmentSize(pgdata.resolve("pg_wal"));
            from = (from + segment - 1) / segment * segment;
        }
        long written = currentLsn(pgdata, port) - from;
        return written >= policy.baseWalBytes()
                && (policy.baseSizeFactor() == 0 || written >= policy.baseSizeFactor() * Clone.logicalSize(pgdata));
    }

    /** Takes a base copy now: an online backup of the running compute, else a copy of the shut-down data. */
    public BaseCopy takeBase(Path timeline, int major, OptionalInt port) {
        Path pgdata = DataLayout.pgdata(timeline);
        Instant started = Instant.now();
        Path staging = BaseCopy.staging(timeline, "new-" + started.toEpochMilli(), recycling);
        Path copy = staging.resolve("pgdata");
        BaseCopy base;
        try {
            if (port.isPresent()) {
                DataCopies.Online online = copies.online(major, port.getAsInt(), pgdata, copy, "base copy");
                // Everything committed before the stop is in the copy once replayed to its stop point.
                Instant at = Instant.now();
                base = new BaseCopy(BaseCopy.nameFor(online.stopLsn(), at), online.startLsn(), online.stopLsn(),
                        online.stopLsn(), at, online.timeline(), 0);
            } else {
                long checkpoint = copies.offline(major, pgdata, copy, DataLayout.log(timeline, "maintenance"),
                        archiving(timeline));
                ControlFile control = ControlFile.read(copy);
                // Nothing runs on the data while we hold its lock: it is the branch's state from now on.
                Instant at = Instant.now();
                base = new BaseCopy(BaseCopy.nameFor(checkpoint, at), control.redo(), checkpoint, checkpoint, at,
                        control.timeline(), 0);
            }
        } catch (SQLException e) {
            recycling.deleteTree(staging);
            throw new IllegalStateException("while taking a base copy of " + timeline + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            recycling.deleteTree(staging);
            throw e;
        }
        base.publish(timeline, staging);
        LOG.info("base copy {} of {} taken in {} ms", base.name(), timeline.getFileName(),
                java.time.Duration.between(started, Instant.now()).toMillis());
        return base;
    }

    /**
     * Removes base copies and archived WAL that no moment since {@code keepFrom} needs: every base newer than
     * it, and the newest one at or before it, stay; WAL before the oldest remaining base's start goes.
     */
    public void trim(Path timeline, Instant keepFrom) {
        List<BaseCopy> bases = BaseCopy.list(timeline);
        Optional<BaseCopy> serving = BaseCopy.forTime(bases, keepFrom);
        if (serving.isEmpty()) {
            return; // The whole history is younger than the window.
        }
        List<BaseCopy> kept = new ArrayList<>();
        for (BaseCopy base : bases) {
            if (base.equals(serving.get()) || base.fromTime().isAfter(keepFrom)) {
                kept.add(base);
            } else {
                base.remove(timeline, recycling);
            }
        }
        long keepWalFrom = kept.stream().map(BaseCopy::startLsn).min(Long::compareUnsigned).orElseThrow();
        int removed = WalArchive.trim(DataLayout.archive(timeline), keepWalFrom,
                WalSegments.segmentSize(DataLayout.pgdata(timeline).resolve("pg_wal")));
        if (kept.size() < bases.size() || removed > 0) {
            LOG.info("history of {} trimmed to {}: {} base copies and {} WAL files removed", timeline.getFileName(),
                    keepFrom, bases.size() - kept.size(), removed);
        }
    }

    /** What of the branch's history can be branched from; empty fields when it has no data or no base yet. */
    public HistoryRange range(Path timeline, OptionalInt port) {
        Path pgdata = DataLayout.pgdata(timeline);
        if (!Files.isDirectory(pgdata)) {
            return new HistoryRange(null, null, null);
        }
        String current = ControlFile.format(currentLsn(pgdata, port));
        List<BaseCopy> bases = BaseCopy.list(timeline);
        if (bases.isEmpty()) {
            return new HistoryRange(null, null, current);
        }
        long earliestLsn = bases.stream().map(BaseCopy::fromLsn).min(Long::compareUnsigned).orElseThrow();
        Instant earliestTime = bases.stream().map(BaseCopy::fromTime).min(Comparator.naturalOrder()).orElseThrow();
        return new HistoryRange(ControlFile.format(earliestLsn), earliestTime, current);
    }

    /**
     * Rebuilds the data of {@code source} as of {@code at} into the new directory {@code target}: a copy of the
     * newest base copy before that point, recovered from {@code walDirs} (the source's archive, and what it has
     * not archived yet). The recovered server archives into {@code newArchive}.
     */
    public Recovery.Outcome rebuild(Path source, int major, PointInTime at, List<Path> walDirs, Path target,
                             Path newArchive, Path log) {
        List<BaseCopy> bases = BaseCopy.list(source);
        BaseCopy base;
        Recovery.Target stop;
        if (at.lsn() != null) {
            long lsn = ControlFile.parse(at.lsn());
            base = BaseCopy.forLsn(bases, lsn).orElseThrow(() -> outside(source, at));
            stop = Long.compareUnsigned(lsn, base.consistentLsn()) <= 0 ? new Recovery.Target.Immediate()
                    : new Recovery.Target.Lsn(lsn);
        } else if (at.timestamp() != null) {
            base = BaseCopy.forTime(bases, at.timestamp()).orElseThrow(() -> outside(source, at));
            stop = new Recovery.Target.Time(at.timestamp());
        } else {
            base = bases.stream().max(Comparator.comparing(BaseCopy::fromTime)).orElseThrow(() -> outside(source, at));
            stop = new Recovery.Target.End();
        }
        copyStartable(base.pgdata(source, layout), target);
        long started = System.nanoTime();
        Recovery.Outcome outcome = recovery.run(major, target, walDirs, stop, newArchive, log);
        LOG.info("recovered {} to {} from base copy {} in {} ms", source.getFileName(), at, base.name(),
                (System.nanoTime() - started) / 1_000_000);
        return outcome;
    }

    private static IllegalStateException outside(Path source, PointInTime at) {
        return new IllegalStateException("no base copy of " + source.getFileName() + " reaches back to " + at
                + " (outside its retained history)");
    }

    /** The current end of the branch's WAL: asked of its running compute, else its last checkpoint. */
    long currentLsn(Path pgdata, OptionalInt port) {
        if (port.isPresent()) {
            try (Connection c = jdbc.open(port.getAsInt(), "postgres"); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select pg_current_wal_lsn()::text")) {
                rs.next();
                return ControlFile.parse(rs.getString(1));
            } catch (SQLException e) {
                // Stopping meanwhile: the control file is right once it has.
                LOG.debug("while asking port {} for its WAL position: {}", port.getAsInt(), e.toString());
            }
        }
        return ControlFile.read(pgdata).checkpoint();
    }

    /**
     * Copies a data directory that can be started as it is: its files, backup label, and the WAL it carries (all of
     * a base copy's, which holds only what it needs, expanded where stored compressed).
     */
    private void copyStartable(Path from, Path to) {
        boolean labelled = Files.exists(from.resolve("backup_label"));
        boolean compressed = CompactBase.hasCompressedWal(from);
        List<Path> wal = labelled || compressed ? walFiles(from) : DataCopies.walOfCleanCluster(from);
        copies.cloner().dataDirectory(from, to, wal, false);
        if (compressed) {
            CompactBase.expand(to.resolve("pg_wal"), copies.user());
        }
        for (String name : List.of("backup_label", "tablespace_map")) {
            if (Files.exists(from.resolve(name))) {
                copies.writeOwned(to.resolve(name), read(from.resolve(name)));
            }
        }
    }

    private static List<Path> walFiles(Path pgdata) {
        try (Stream<Path> files = Files.list(pgdata.resolve("pg_wal"))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("while listing the WAL of " + pgdata, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("while reading " + file, e);
        }
    }

    private static String group(Pattern pattern, String text, Path file) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException(file + " has no line matching " + pattern);
        }
        return m.group(1);
    }
}
