package dev.xenon.provisioner.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

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
        assertThat(Files.readString(archiveDir.resolve(SEGMENT))).isEqualTo("wal bytes");
        // Postgres retries a segment whose success it did not record: the same file again succeeds.
        assertThat(runArchive(segment, archiveDir).ok()).isTrue();

        Files.writeString(segment, "other bytes");
        Commands.Result refused = runArchive(segment, archiveDir);
        assertThat(refused.ok()).isFalse();
        assertThat(refused.output()).contains("different content");
        assertThat(Files.readString(archiveDir.resolve(SEGMENT))).isEqualTo("wal bytes");
        try (Stream<Path> files = Files.list(archiveDir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(SEGMENT);
        }
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
                "000000010000000000000002.partial", "000000020000000000000002", "000000020000000000000003",
                "000000010000000000000001.00000028.backup", "00000002.history")) {
            Files.write(archive.resolve(name), new byte[name.endsWith("history") || name.endsWith("backup") ? 10
                    : (int) segment]);
        }
        // Keep from the middle of segment 2: segment 1 goes on every timeline, segment 2 stays.
        assertThat(WalArchive.trim(archive, 2 * segment + 100)).isEqualTo(2);
        try (Stream<Path> files = Files.list(archive)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder(
                    "000000010000000000000002", "000000010000000000000002.partial", "000000020000000000000002",
                    "000000020000000000000003", "00000002.history");
        }
    }

    private Commands.Result runArchive(Path segment, Path archiveDir) {
        return Commands.run(List.of("sh", dir.resolve("compute/xenon-archive").toString(), segment.toString(),
                archiveDir.toString(), SEGMENT), null, Duration.ofSeconds(30));
    }

    private static Commands.Result sh(String command) {
        return Commands.run(List.of("sh", "-c", command), null, Duration.ofSeconds(30));
    }
}
