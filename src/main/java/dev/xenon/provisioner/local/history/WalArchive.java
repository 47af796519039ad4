package dev.xenon.provisioner.local.history;

import dev.xenon.provisioner.local.copy.Clone;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.WalSegments;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Branches' WAL archives (docs: "Continuous Archiving and Point-in-Time Recovery"). A compute copies every
 * completed segment into its branch's archive with archive_command; recovery reads them back with
 * restore_command. Both are small shell scripts kept with the shared compute files, run as the Postgres account.
 *
 * <p>The archive script never overwrites a file that exists with different content (Postgres retries the same
 * segment after a crash, which must succeed, but a different file of the same name means two histories got mixed
 * up and must stop archiving), and it makes the file appear whole: copy to a temporary name, fsync, then a hard
 * link to the final name, which fails rather than replace anything.
 */
public final class WalArchive {
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final Pattern NAMED_BY_SEGMENT =
            Pattern.compile("([0-9A-F]{24})(\\.partial|\\.[0-9A-F]{8}\\.backup)?(\\.gz|\\.zst)?");
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(120);

    /**
     * Archived files are compressed: a segment switched early (a branch's backup, an idle server's timeout) is 16 MB
     * of which little is WAL, and the zeroed rest compresses to almost nothing. zstd where installed (fast enough
     * for a write-heavy server: about 100 MB/s a core at level 1, and 16 MB of zeros become 1 KB), else gzip -1
     * (half that speed; 70 KB), else plain copies. The file name says which: {@code .zst}, {@code .gz}, none.
     */
    private static final String ARCHIVE_SCRIPT = """
            #!/bin/sh
            # Written by Xenon at every start. archive_command: xenon-archive <path> <archive dir> <file name>
            src=$1; dir=$2; name=$3
            for ext in "" .gz .zst; do
              old="$dir/$name$ext"
              [ -e "$old" ] || continue
              # Archived before (Postgres retries after a crash): done if identical, refused if not.
              case $ext in
                .zst) zstd -q -d -c "$old" 2>/dev/null | cmp -s "$src" - && exit 0 ;;
                .gz) gzip -d -c "$old" 2>/dev/null | cmp -s "$src" - && exit 0 ;;
                *) cmp -s "$src" "$old" && exit 0 ;;
              esac
              echo "xenon-archive: $old exists with different content; not overwriting it" >&2
              exit 1
            done
            tmp="$dir/.$name.$$.tmp"
            if command -v zstd >/dev/null 2>&1; then
              dest="$dir/$name.zst"; zstd -q -1 -c "$src" > "$tmp"
            elif command -v gzip >/dev/null 2>&1; then
              dest="$dir/$name.gz"; gzip -1 -c "$src" > "$tmp"
            else
              dest="$dir/$name"; cp "$src" "$tmp"
            fi || { rm -f "$tmp"; exit 1; }
            sync "$tmp" 2>/dev/null || sync
            # A hard link fails if the name exists: nothing is ever replaced, and the file appears complete.
            ln "$tmp" "$dest" || { rm -f "$tmp"; exit 1; }
            rm -f "$tmp"
            sync "$dir" 2>/dev/null || true
            exit 0
            """;

    private static final String RESTORE_SCRIPT = """
            #!/bin/sh
            # Written by Xenon at every start. restore_command: xenon-restore <file name> <target path> <dir>...
            # Copies the file from the first directory that has it, compressed or not (archived before compression,
            # or a shut-down branch's unarchived tail); exit 1 tells Postgres there is no such file.
            name=$1; target=$2; shift 2
            for dir in "$@"; do
              for ext in .zst .gz ""; do
                file="$dir/$name$ext"
                [ -f "$file" ] || continue
                case $ext in
                  .zst) zstd -q -d -c "$file" > "$target" ;;
                  .gz) gzip -d -c "$file" > "$target" ;;
                  *) cp "$file" "$target" ;;
                esac && exit 0
                # Not "no such file" (exit 1), which would end recovery early at the wrong point: an exit code
                # above 125 makes Postgres abort the recovery instead.
                rm -f "$target"
                echo "xenon-restore: could not read $file" >&2
                exit 126
              done
            done
            exit 1
            """;

    private final Path archiveScript;
    private final Path restoreScript;
    private final Optional<OsUser> user;

    private WalArchive(Path archiveScript, Path restoreScript, Optional<OsUser> user) {
        this.archiveScript = archiveScript;
        this.restoreScript = restoreScript;
        this.user = user;
    }

    /** Writes the scripts into the shared compute directory (private to the Postgres account). */
    public static WalArchive install(Path computeDir, Optional<OsUser> user) {
        requireNonNull(computeDir, "computeDir is null");
        requireNonNull(user, "user is null");
        DataLayout.privateDir(computeDir);
        WalArchive archive = new WalArchive(computeDir.resolve("xenon-archive"), computeDir.resolve("xenon-restore"),
                user);
        archive.writeScript(archive.archiveScript, ARCHIVE_SCRIPT);
        archive.writeScript(archive.restoreScript, RESTORE_SCRIPT);
        return archive;
    }

    private void writeScript(Path file, String content) {
        try {
            Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx------"));
            user.ifPresent(u -> u.chown(temp));
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("while writing " + file, e);
        }
    }

    /** Creates the archive directory, writable by the Postgres account. */
    Path create(Path archiveDir) {
        try {
            DataLayout.traversableDir(archiveDir.getParent());
            Files.createDirectories(archiveDir);
            Files.setPosixFilePermissions(archiveDir, PosixFilePermissions.fromString("rwx------"));
            user.ifPresent(u -> u.chown(archiveDir));
            return archiveDir;
        } catch (IOException e) {
            throw new UncheckedIOException("while creating the WAL archive " + archiveDir, e);
        }
    }

    /** Settings that make a server archive its completed WAL into {@code archiveDir}. */
    Map<String, String> archiving(Path archiveDir) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("archive_mode", "on");
        settings.put("archive_command", shell(archiveScript) + " %p " + shell(archiveDir) + " %f");
        return settings;
    }

    /** A restore_command reading from the directories in order. */
    String restoreCommand(List<Path> dirs) {
        StringBuilder command = new StringBuilder(shell(restoreScript)).append(" %f %p");
        dirs.forEach(d -> command.append(' ').append(shell(d)));
        return command.toString();
    }

    /** Single-quoted for sh, and with % doubled since Postgres expands %-escapes in these commands first. */
    private static String shell(Path path) {
        return "'" + path.toString().replace("'", "'\"'\"'").replace("%", "%%") + "'";
    }

    /**
     * Makes everything the running server on {@code port} has written so far reach its archive: a transaction
     * that commits (so recovery to any earlier moment finds a commit record after it, which is how a recovery
     * target time is known to be reached), then a segment switch, then waits for the archiver to copy that
     * segment.
     */
    public void flush(AdminJdbc jdbc, int port, Path archiveDir) {
        String segment;
        try (Connection c = jdbc.open(port, "postgres"); Statement s = c.createStatement()) {
            s.execute("select pg_current_xact_id()");
            try (ResultSet rs = s.executeQuery("select pg_walfile_name(pg_switch_wal())")) {
                rs.next();
                segment = rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("while switching WAL segments on port " + port + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + ARCHIVE_WAIT.toNanos();
        while (!archived(archiveDir, segment)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("WAL segment " + segment + " did not reach the archive " + archiveDir
                        + " within " + ARCHIVE_WAIT.toSeconds() + " s; see the compute's log for archive_command errors");
            }
            sleep(20);
        }
    }

    /**
     * Copies into {@code tailDir} the WAL of a shut-down cluster that its archive does not hold yet: the segment it
     * was writing when it stopped (never archived, being incomplete) and any whose archiving had not finished.
     */
    public void copyTail(Path pgdata, Path archiveDir, Path tailDir, Clone clone) {
        ControlFile control = ControlFile.read(pgdata);
        Path wal = pgdata.resolve("pg_wal");
        long segmentSize = WalSegments.segmentSize(wal);
        // A shutdown checkpoint record is small; it may spill into the next segment, never further.
        String last = WalSegments.name(control.timeline(), control.checkpoint() + 512, segmentSize);
        List<Path> tail = new ArrayList<>();
        try (Stream<Path> files = Files.list(wal)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                boolean history = name.endsWith(".history");
                boolean written = SEGMENT.matcher(name).matches() && segno(name, segmentSize) <= segno(last, segmentSize)
                        && timeline(name) <= control.timeline();
                if ((history || written) && !archived(archiveDir, name)) {
                    tail.add(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while listing " + wal, e);
        }
        try {
            Files.createDirectories(tailDir);
        } catch (IOException e) {
            throw new UncheckedIOException("while creating " + tailDir, e);
        }
        clone.copy(tail, tailDir, false);
        user.ifPresent(u -> u.chown(tailDir));
    }

    /** Whether the archive holds the file, compressed or not. */
    static boolean archived(Path archiveDir, String name) {
        return Stream.of(".zst", ".gz", "").anyMatch(ext -> Files.exists(archiveDir.resolve(name + ext)));
    }

    /**
     * Removes archived files that lie wholly before {@code keepFrom}: no retained base copy starts that early, so
     * no recovery reads them. Timeline history files are kept (they are tiny and recovery reads them all).
     * {@code segmentSize} is the cluster's (compressed files no longer tell it by their size).
     */
    static int trim(Path archiveDir, long keepFrom, long segmentSize) {
        if (!Files.isDirectory(archiveDir)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(archiveDir)) {
            for (Path file : files.toList()) {
                var m = NAMED_BY_SEGMENT.matcher(file.getFileName().toString());
                if (m.matches() && (segno(m.group(1), segmentSize) + 1) * segmentSize <= keepFrom) {
                    Files.deleteIfExists(file);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while trimming the WAL archive " + archiveDir, e);
        }
        return removed;
    }

    /** Bytes held by the archive. */
    static long size(Path archiveDir) {
        return Files.isDirectory(archiveDir) ? Clone.size(archiveDir) : 0;
    }

    /** The segment number of a segment file name (XLogFromFileName in xlog_internal.h). */
    static long segno(String name, long segmentSize) {
        long perId = 0x1_0000_0000L / segmentSize;
        return Long.parseLong(name.substring(8, 16), 16) * perId + Long.parseLong(name.substring(16, 24), 16);
    }

    private static int timeline(String name) {
        return Integer.parseInt(name.substring(0, 8), 16);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the WAL archiver", e);
        }
    }
}
