package dev.xenon.provisioner.local.copy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Deleting keeps emptied inodes under the data directory, and copies made there reuse them. */
class RecycledFilesTest {
    @TempDir
    Path root;
    private RecycledFiles pool;
    private Recycling recycling;

    @BeforeEach
    void open() {
        Optional<RecycledFiles> opened = RecycledFiles.open(root, root.resolve("recycled"), Optional.empty(), 10, 0);
        assumeTrue(opened.isPresent(), "the temp directory is not on an ext filesystem");
        pool = opened.get();
        recycling = new Recycling(opened);
    }

    @AfterEach
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void deletingATreeKeepsItsFilesEmptiedUpToTheCapacity() throws IOException {
        Path tree = root.resolve("timelines/p/b");
        for (int i = 0; i < 12; i++) {
            write(tree.resolve("base/" + i), "secret row " + i);
        }
        recycling.deleteTree(tree);

        assertThat(tree).doesNotExist();
        assertThat(pool.size()).isEqualTo(10);
        List<Path> kept = recycled();
        assertThat(kept).hasSize(10);
        for (Path file : kept) {
            assertThat(Files.size(file)).as("no data is kept in %s", file).isZero();
        }
    }

    @Test
    void aTakeThatCannotPlaceTheFileKeepsIt() throws IOException {
        recycling.deleteTree(write(root.resolve("timelines/p/b/f"), "x").getParent());
        assertThat(pool.take(root.resolve("no/such/directory/f"))).isFalse();
        assertThat(pool.size()).isEqualTo(1);
        assertThat(pool.take(Files.createDirectories(root.resolve("here")).resolve("f"))).isTrue();
        assertThat(pool.size()).isZero();
    }

    @Test
    void aFileSharedByAnotherLinkIsDeletedNotEmptied() throws IOException {
        Path tree = root.resolve("timelines/p/b");
        Path file = write(tree.resolve("data"), "shared");
        Path other = root.resolve("other-link");
        Files.createLink(other, file);
        recycling.deleteTree(tree);

        assertThat(Files.readString(other)).isEqualTo("shared");
        assertThat(pool.size()).isZero();
    }

    @Test
    void deletingATreeThatHoldsThePoolDeletesEverything() throws IOException {
        Path data = Files.createDirectory(root.resolve("data"));
        pool.close();
        pool = RecycledFiles.open(data, data.resolve("recycled"), Optional.empty(), 10, 0).orElseThrow();
        recycling = new Recycling(Optional.of(pool));
        write(data.resolve("timelines/p/b/f"), "x");
        recycling.deleteTree(data.resolve("timelines"));
        assertThat(pool.size()).isEqualTo(1);

        recycling.deleteTree(data);
        assertThat(data).doesNotExist();
    }

    @Test
    void aFileOfAnotherModeIsDeletedNotKept() throws IOException {
        Path tree = root.resolve("timelines/p/b");
        Path file = write(tree.resolve("state.json"), "{}");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        recycling.deleteTree(tree);

        assertThat(tree).doesNotExist();
        assertThat(pool.size()).isZero();
        assertThat(recycled()).isEmpty();
    }

    @Test
    void aCopyReusesKeptInodesAndMatchesTheSource() throws IOException {
        Path doomed = root.resolve("timelines/p/old");
        for (int i = 0; i < 3; i++) {
            write(doomed.resolve("f" + i), "x".repeat(10_000));
        }
        recycling.deleteTree(doomed);
        Set<Object> keptInodes = new HashSet<>();
        for (Path file : recycled()) {
            keptInodes.add(Files.getAttribute(file, "unix:ino"));
        }

        Path source = root.resolve("source");
        write(source.resolve("base/1/1259"), "catalog");
        write(source.resolve("base/1/2619"), "y".repeat(100_000));
        write(source.resolve("global/pg_control"), "control");
        write(source.resolve("base/1/1259_fsm"), "");
        write(source.resolve("PG_VERSION"), "17\n");
        Files.setPosixFilePermissions(source.resolve("PG_VERSION"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(source.resolve("link"), Path.of("base/1"));
        Path target = root.resolve("timelines/p/new");
        Files.createDirectories(target);
        new RecyclingCopy(pool).copy(source, target.resolve("pgdata"), false);

        Path copy = target.resolve("pgdata");
        Set<Object> usedInodes = new HashSet<>();
        for (String name : List.of("base/1/1259", "base/1/2619", "base/1/1259_fsm", "global/pg_control",
                "PG_VERSION")) {
            assertThat(Files.readAllBytes(copy.resolve(name))).isEqualTo(Files.readAllBytes(source.resolve(name)));
            assertThat(Files.getPosixFilePermissions(copy.resolve(name)))
                    .isEqualTo(Files.getPosixFilePermissions(source.resolve(name)));
            usedInodes.add(Files.getAttribute(copy.resolve(name), "unix:ino"));
        }
        assertThat(Files.readSymbolicLink(copy.resolve("link"))).isEqualTo(Path.of("base/1"));
        assertThat(usedInodes).as("the three kept inodes were reused").containsAll(keptInodes);
        assertThat(pool.size()).isZero();
    }

    @Test
    void aNewRunAdoptsWhatTheLastOneKeptAndDropsWhatItCannotUse() throws Exception {
        for (int i = 0; i < 4; i++) {
            write(root.resolve("timelines/p/b/" + i), "row " + i);
        }
        recycling.deleteTree(root.resolve("timelines/p/b"));
        pool.close();
        Path stray = write(root.resolve("recycled/stray"), "not empty");

        pool = RecycledFiles.open(root, root.resolve("recycled"), Optional.empty(), 10, 0).orElseThrow();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while ((pool.size() < 4 || Files.exists(stray)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertThat(pool.size()).isEqualTo(4);
        assertThat(stray).doesNotExist();
    }

    @Test
    void filesAreMadeInAdvanceWhenDeletionsGaveTooFew() throws Exception {
        pool.close();
        Path other = Files.createDirectory(root.resolve("other"));
        pool = RecycledFiles.open(other, other.resolve("recycled"), Optional.empty(), 100, 40).orElseThrow();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (pool.size() < 40 && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        assertThat(pool.size()).isEqualTo(40);
    }

    private List<Path> recycled() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("recycled"))) {
            return files.toList();
        }
    }

    /** A file as Postgres makes them: mode 600. */
    private static Path write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
