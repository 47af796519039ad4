package dev.xenon.store;

import dev.xenon.provisioner.local.postgres.Distribution;
import dev.xenon.provisioner.local.postgres.InitDb;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.PostgresServer;
import dev.xenon.provisioner.local.postgres.SecretFile;
import dev.xenon.provisioner.local.postgres.Trees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Xenon's own metadata database when no external one is configured: a private Postgres cluster under
 * {@code metaDir} (data/, password, postgres.log), listening on a free loopback port while Xenon runs, and started
 * again on that port if it ever exits (see {@link SupervisedPostgres}).
 */
public final class EmbeddedMetaStore implements AutoCloseable {
    public static final String USER = "xenon";
    public static final String DATABASE = "xenon";

    private final SupervisedPostgres server;
    private final String password;

    private EmbeddedMetaStore(SupervisedPostgres server, String password) {
        this.server = server;
        this.password = password;
    }

    /**
     * Starts the metadata cluster, creating it on first use. The caller must {@link #close()} it: the postmaster
     * is a child process that would otherwise outlive the JVM (the next start would then shut that one down).
     *
     * @param user the account to run Postgres as when Xenon is root (see {@link OsUser#resolveWhenRoot})
     */
    public static EmbeddedMetaStore start(Path metaDir, Distribution dist, Optional<OsUser> user) {
        requireNonNull(metaDir, "metaDir is null");
        requireNonNull(dist, "dist is null");
        requireNonNull(user, "user is null");
        Path dir = metaDir.toAbsolutePath().normalize();
        String context = "while starting the embedded metadata store in " + dir;
        try {
            // Checked before creating anything, so a misplaced metaDir leaves no litter behind.
            user.ifPresent(u -> u.requireTraversable(dir));
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                // Postgres, as its own account, must pass through to data/; the password file stays mode 600.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            String password = SecretFile.loadOrCreate(dir.resolve("password"), "metadata store password");
            Path data = dir.resolve("data");
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                initialize(dir, data, dist, user, password);
            }
            PostgresServer server = new PostgresServer(dist, user, data);
            server.start(0, Map.of(), dir.resolve("postgres.log"));
            try {
                createDatabaseIfMissing(server.port(), password);
            } catch (SQLException | RuntimeException e) {
                server.stop();
                throw e;
            }
            return new EmbeddedMetaStore(new SupervisedPostgres(server, dir.resolve("postgres.log"),
                    "the metadata store"), password);
        } catch (IOException e) {
            throw new UncheckedIOException(context, e);
        } catch (SQLException e) {
            throw new IllegalStateException(context + ": " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + DATABASE;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public int port() {
        return server.port();
    }

    /** The postmaster's pid, for diagnostics. */
    public long pid() {
        return server.pid();
    }

    /** False while it is known to be down (between an unexpected exit and the restart). */
    public boolean up() {
        return server.up();
    }

    /** How many times it was restarted after exiting unexpectedly. */
    public int restarts() {
        return server.restarts();
    }

    /** Stops Postgres with a fast shutdown and waits for it to exit; it is not restarted after this. */
    @Override
    public void close() {
        server.close();
    }

    /**
     * initdb into a staging directory renamed into place when done, so that a crash during initdb leaves no
     * half-made cluster that a later start would take for a real one.
     */
    private static void initialize(Path dir, Path data, Distribution dist, Optional<OsUser> user, String password)
            throws IOException {
        if (Files.exists(data)) {
            throw new IllegalStateException(data + " exists but holds no Postgres cluster (no PG_VERSION);"
                    + " move it away to let Xenon create a new metadata cluster");
        }
        Path staging = dir.resolve("data.initdb");
        if (Files.exists(staging)) {
            Trees.delete(staging);
        }
        new InitDb(dist, user).run(staging, USER, password, false);
        Files.move(staging, data, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void createDatabaseIfMissing(int port, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", props)) {
            boolean exists;
            try (PreparedStatement q = c.prepareStatement("select 1 from pg_database where datname = ?")) {
                q.setString(1, DATABASE);
                try (ResultSet rs = q.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement s = c.createStatement()) {
                    s.execute("create database " + DATABASE);
                }
            }
        }
    }
}
