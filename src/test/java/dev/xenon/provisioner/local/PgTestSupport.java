package dev.xenon.provisioner.local;

import dev.xenon.provisioner.local.postgres.Distribution;
import dev.xenon.provisioner.local.postgres.OsUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/** Where tests find the Postgres binaries, and how they make directories the Postgres account can use. */
public final class PgTestSupport {
    /** The major the tests run; the others are only unpacked. */
    public static final int MAJOR = 17;

    private PgTestSupport() {
    }

    public static Path distDir() {
        return Path.of(System.getProperty("xenon.test.pgDist", "target/pg-dist")).toAbsolutePath().normalize();
    }

    /**
     * The unpack cache shared by all test runs. When running as root from a checkout the Postgres account cannot
     * reach (say under a mode-700 /root), falls back to one under the system temp directory.
     */
    public static Path cacheDir() {
        Path configured = Path.of(System.getProperty("xenon.test.pgCache", "target/pg-cache")).toAbsolutePath().normalize();
        Optional<OsUser> user = user();
        if (user.isPresent() && user.get().firstUntraversable(configured).isPresent()) {
            return Path.of(System.getProperty("java.io.tmpdir"), "xenon-test-pg-cache-" + OsUser.currentUid());
        }
        return configured;
    }

    public static Optional<OsUser> user() {
        return OsUser.resolveWhenRoot(null);
    }

    public static Distribution dist() {
        return Distribution.unpack(MAJOR, distDir(), cacheDir());
    }

    /** JUnit makes @TempDir directories mode 700; the Postgres account must be able to enter them. */
    public static Path traversable(Path dir) {
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        user().ifPresent(u -> u.requireTraversable(dir));
        return dir;
    }

    /** The pid in a data directory's postmaster.pid, if there is one. */
    public static Optional<Long> postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.getFirst().strip()));
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean processAlive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
