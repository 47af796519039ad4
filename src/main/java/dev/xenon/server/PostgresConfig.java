package dev.xenon.server;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The Postgres binaries every local Postgres runs from (the embedded metadata store's and the data plane's), and
 * the account they run as.
 *
 * @param distDir  directory holding the Postgres binary jars (--pg-dist-dir)
 * @param cacheDir where those jars are unpacked
 * @param osUser   unprivileged account for Postgres processes when the server runs as root (--os-user); empty:
 *                 postgres, else nobody
 */
public record PostgresConfig(Path distDir, Path cacheDir, Optional<String> osUser) {

    public PostgresConfig {
        requireNonNull(distDir, "distDir is null");
        requireNonNull(cacheDir, "cacheDir is null");
        requireNonNull(osUser, "osUser is null");
    }

    /** Unpacked under {@code dataDir/pg}, run as the default account. */
    public static PostgresConfig defaults(Path distDir, Path dataDir) {
        return new PostgresConfig(distDir, dataDir.resolve("pg"), Optional.empty());
    }

    public PostgresConfig withCacheDir(Path dir) {
        return new PostgresConfig(distDir, dir, osUser);
    }

    /** {@code user} null: the default account. */
    public PostgresConfig withOsUser(String user) {
        return new PostgresConfig(distDir, cacheDir, Optional.ofNullable(user));
    }
}
