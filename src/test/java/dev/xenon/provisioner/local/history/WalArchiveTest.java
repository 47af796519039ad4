package dev.xenon.provisioner.local.history;

import dev.xenon.provisioner.local.postgres.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The archive and restore commands as Postgres runs them, and trimming an archive. */
class WalArchiveTest {
    private static final String SEGMENT = "000000010000000000000003";

    @TempDir
    Path dir;

    @Test
    void archivingIsCompleteOrNothingAndNeverReplacesADifferentFile() throws IOException {
        WalArchive archive = WalArchive.install(dir.resolve("compute"), Optional.empty());
        Path archiveDir = archive.create(dir.resolve("history/wal"));
        Path segment = Files.writeString(dir.resolve(SEGMENT), "wal bytes");

        assertThat(runArchive(segment, archiveDir).ok()).isTrue();
        assertThat(restore(archive, archiveDir)).isEqualTo("wal bytes");
        // Postgres retries a segment whose success it did not record: the same file again succeeds.
        assertThat(runArchive(segment, archiveDir).ok()).isTrue();

        Files.writeString(segment, "other bytes");
        Commands.Result refused = runArchive(segment, archiveDir);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.output()).contains("different content");
        assertThat(restore(archive, archiveDir)).isEqualTo("wal bytes");
        try (Stream<Path> files = Files.list(archiveDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString()
                    .matches(SEGMENT + "\\.(zst|gz)");
        }
    }

    @Test
    void aSegmentSwitchedEarlyIsStoredCompressedAndRestoredExactly() throws IOException {
        assumeTrue(onPath("zstd"), "zstd is not installed");
        assertThat(archiveAndRestoreIdleSegment(System.getenv("PATH"), ".zst")).isLessThan(8 << 10);
    }

    @Test
    void withoutZstdGzipCompresses() throws IOException {
        // A PATH with the tools the script needs but zstd.
        Path bin = Files.createDirectories(dir.resolve("bin"));
        for (String tool : List.of("gzip", "cmp", "ln", "rm", "sync", "cp")) {
            Files.createSymbolicLink(bin.resolve(tool), which(tool));
        }
        assertThat(archiveAndRestoreIdleSegment(bin.toString(), ".gz")).isLessThan(256 << 10);
    }

    /** Archives what pg_switch_wal leaves on an idle server (a little WAL, zeroed pages to the segment's end). */
    private long archiveAndRestoreIdleSegment(String path, String extension) throws IOException {
        WalArchive archive = WalArchive.install(dir.resolve("compute"), Optional.empty());
        Path archiveDir = archive.create(dir.resolve("history/wal"));
        byte[] wal = new byte[16 << 20];
        byte[] records = new byte[40_000];
        new Random(7).nextBytes(records);
        System.arraycopy(records, 0, wal, 0, records.length);
        Path segment = Files.write(dir.resolve(SEGMENT), wal);

        Commands.Result archived = sh("PATH='" + path + "' " + which("sh") + " " + dir.resolve("compute/xenon-archive") + " " + segment
                + " " + archiveDir + " " + SEGMENT);
        assertThat(archived.ok()).as(archived.output()).isTrue();
        assertThat(WalArchive.archived(archiveDir, SEGMENT)).isTrue();
        Path target = dir.resolve("RECOVERYXLOG");
        assertThat(sh(archive.restoreCommand(List.of(archiveDir)).replace("%f", SEGMENT)
                .replace("%p", target.toString())).ok()).isTrue();
        assertThat(Files.readAllBytes(target)).isEqualTo(wal);
        return Files.size(archiveDir.resolve(SEGMENT + extension)) - records.length;
    }

    @Test
    void aDamagedCompressedFileAbortsRecoveryRatherThanEndingIt() throws IOException {
        WalArchive archive = WalArchive.install(dir.resolve("compute"), Optional.empty());
        Path archiveDir = Files.createDirectories(dir.resolve("archive"));
        Files.writeString(archiveDir.resolve(SEGMENT + ".gz"), "not gzip");
        Path target = dir.resolve("RECOVERYXLOG");
        Commands.Result result = sh(archive.restoreCommand(List.of(archiveDir)).replace("%f", SEGMENT)
                .replace("%p", target.toString()) + "; echo exit=$?");
        // Postgres takes exit codes above 125 as a failure of the command itself and stops the recovery; 1 would
        // mean "no such file", the end of the WAL.
        assertThat(result.output()).contains("exit=126");
    }

    @Test
    void restoreReadsTheFirstDirectoryHoldingTheFile() throws IOException {
        WalArchive archive = WalArchive.install(dir.resolve("compute"), Optional.empty());
        Path first = Files.createDirectories(dir.resolve("archive"));
        Path second = Files.createDirectories(dir.resolve("tail"));
        Files.writeString(second.resolve(SEGMENT), "from the tail");
        String command = archive.restoreCommand(List.of(first, second));

        Path target = dir.resolve("RECOVERYXLOG");
        assertThat(sh(command.replace("%f", SEGMENT).replace("%p", target.toString())).ok()).isTrue();
        assertThat(Files.readString(target)).isEqualTo("from the tail");
        // Archived before archives were compressed: still read.
        Files.writeString(first.resolve(SEGMENT), "from the archive");
        assertThat(sh(command.replace("%f", SEGMENT).replace("%p", target.toString())).ok()).isTrue();
        assertThat(Files.readString(target)).isEqualTo("from the archive");
        // A missing file is how recovery learns it reached the end of the WAL.
        assertThat(sh(command.replace("%f", "000000010000000000000004").replace("%p", target.toString())).ok())
                .isFalse();
    }

    @Test
    void pathsArePassedQuotedAndWithPercentSignsEscaped() {
        WalArchive archive = WalArchive.install(dir.resolve("compute"), Optional.empty());
        String command = archive.archiving(dir.resolve("it's 100%")).get("archive_command");
        assertThat(command).contains("'\"'\"'").contains("100%%").endsWith(" %f");
    }

    @Test
    void trimmingRemovesWhatLiesWhollyBeforeThePointAndKeepsTimelineHistories() throws IOException {
        Path archive = Files.createDirectories(dir.resolve("wal"));
        long segment = 16L << 20;
        for (String name : List.of("000000010000000000000001", "000000010000000000000002",
                "000000010000000000000002.partial", "000000020000000000000002.gz", "000000020000000000000003.zst",
                "000000010000000000000001.00000028.backup.gz", "000000010000000000000001.gz", "00000002.history")) {
            Files.write(archive.resolve(name), new byte[name.endsWith("history") || name.endsWith("backup") ? 10
                    : (int) segment]);
        }
        // Keep from the middle of segment 2: segment 1 goes on every timeline, segment 2 stays.
        assertThat(WalArchive.trim(archive, 2 * segment + 100, segment)).isEqualTo(3);
        try (Stream<Path> files = Files.list(archive)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "000000010000000000000002", "000000010000000000000002.partial", "000000020000000000000002.gz",
                    "000000020000000000000003.zst", "00000002.history");
        }
    }

    private Commands.Result runArchive(Path segment, Path archiveDir) {
        return Commands.run(List.of("sh", dir.resolve("compute/xenon-archive").toString(), segment.toString(),
                archiveDir.toString(), SEGMENT), null, Duration.ofSeconds(30));
    }

    private String restore(WalArchive archive, Path archiveDir) throws IOException {
        Path target = dir.resolve("RESTORED");
        assertThat(sh(archive.restoreCommand(List.of(archiveDir)).replace("%f", SEGMENT)
                .replace("%p", target.toString())).ok()).isTrue();
        return Files.readString(target);
    }

    private static boolean onPath(String tool) {
        return sh("command -v " + tool).ok();
    }

    private static Path which(String tool) {
        Commands.Result found = sh("command -v " + tool);
        assertThat(found.ok()).as(tool + " is needed by the archive script").isTrue();
        return Path.of(found.output().strip());
    }

    private static Commands.Result sh(String command) {
        return Commands.run(List.of("sh", "-c", command), null, Duration.ofSeconds(30));
    }
}
