package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/** Creates a new Postgres cluster (initdb) whose only way in is a password-authenticated superuser. */
public final class InitDb {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Distribution dist;
    private final Optional<OsUser> user;

    /**
     * @param user the account to run as when Xenon is root; empty to run as the JVM's own account
     */
    public InitDb(Distribution dist, Optional<OsUser> user) {
        this.dist = requireNonNull(dist, "dist is null");
        this.user = requireNonNull(user, "user is null");
    }

    /**
     * Initializes {@code dataDir}, which must not exist or be empty. Password (SCRAM) authentication is required
     * for every connection, local or TCP, so the cluster is safe even where other local accounts exist.
     *
     * @param noSync skip initdb's final fsync: much faster, but a machine crash right after can corrupt the cluster
     */
    public void run(Path dataDir, String superuser, String password, boolean noSync) {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(superuser, "superuser is null");
        requireNonNull(password, "password is null");
        if (superuser.isBlank()) {
            throw new IllegalArgumentException("superuser is blank");
        }
        // initdb takes the first line of the password file as the password.
        if (password.isEmpty() || password.contains("\n") || password.contains("\r")) {
            throw new IllegalArgumentException("the password must be one non-empty line");
        }
        Path dir = dataDir.toAbsolutePath().normalize();
        String context = "while initializing a Postgres " + dist.major() + " cluster in " + dir;
        Path passwordFile = null;
        try {
            prepareDataDir(dir);
            // initdb insists on an empty data directory, so the password file lives beside it, readable only by us.
            passwordFile = Files.createTempFile(dir.getParent(), "." + dir.getFileName() + ".pw-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(passwordFile, password + "\n", StandardCharsets.UTF_8);
            Path pw = passwordFile;
            user.ifPresent(u -> u.chown(pw));

            List<String> command = new ArrayList<>(List.of(
                    dist.bin("initdb").toString(),
                    "--pgdata=" + dir,
                    "--auth=scram-sha-256",
                    "--username=" + superuser,
                    "--pwfile=" + passwordFile,
                    "--encoding=UTF8",
                    "--locale=C"));
            if (noSync) {
                command.add("--no-sync");
            }
            // Run inside the data directory: the JVM's working directory may be one the Postgres account cannot
            // enter, and initdb fails when it cannot resolve its current directory.
            Commands.runOrFail(user.map(u -> u.wrap(command)).orElse(command), dir, TIMEOUT,
                    "initdb (Postgres " + dist.version() + ") for " + dir);
        } catch (IOException e) {
            throw new UncheckedIOException(context, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(context + ": " + e.getMessage(), e);
        } finally {
            if (passwordFile != null) {
                try {
                    Files.deleteIfExists(passwordFile);
                } catch (IOException e) {
                    // Best effort: the file is mode 600 and the password also lives with the caller.
                }
            }
        }
    }

    private void prepareDataDir(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalStateException("the data directory " + dir + " is not empty"
                            + (Files.exists(dir.resolve("PG_VERSION")) ? " (it already holds a cluster)" : ""));
                }
            }
        } else {
            Files.createDirectories(dir);
        }
        // Postgres refuses to start unless the data directory is private to the account running it.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        if (user.isPresent()) {
            user.get().chown(dir);
            user.get().requireTraversable(dir);
            user.get().requireTraversable(dist.bin("initdb").getParent());
        }
    }
}
