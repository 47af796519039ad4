package dev.xenon.provisioner.local.postgres;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A short-lived postmaster on a random loopback port, for work on a branch's data while no compute runs on it
 * (applying roles and databases, emptying tables for a schema-only branch, finishing crash recovery). It ends
 * with a fast shutdown, which leaves the data cleanly shut down again.
 */
public final class MaintenanceServer {
    /** Work done while the server runs, given its port. */
    public interface Work<T> {
        T run(int port) throws SQLException;
    }

    private final Distributions distributions;
    private final Optional<OsUser> user;
    private final Path hbaFile;

    /** @param hbaFile the client authentication rules the computes share (the internal superuser's way in) */
    public MaintenanceServer(Distributions distributions, Optional<OsUser> user, Path hbaFile) {
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.hbaFile = requireNonNull(hbaFile, "hbaFile is null");
    }

    public <T> T run(int major, Path pgdata, Path log, String what, Work<T> work) {
        return run(major, pgdata, log, what, Map.of(), work);
    }

    /**
     * @param extra settings added to the defaults: a branch's data is run with WAL archiving, so that nothing
     *              written (or recycled at a checkpoint) meanwhile is missing from the branch's history
     */
    public <T> T run(int major, Path pgdata, Path log, String what, Map<String, String> extra, Work<T> work) {
        PostgresServer server = new PostgresServer(distributions.get(major), user, pgdata);
        DataLayout.privateDir(log.getParent());
        // Small: nobody but us connects, and many may run at once on a laptop. wal_level=logical because data
        // with logical replication slots refuses to start below it.
        Map<String, String> settings = new java.util.LinkedHashMap<>(Map.of("hba_file", hbaFile.toString(),
                "shared_buffers", "16MB", "max_connections", "20", "max_wal_senders", "0", "wal_level", "logical"));
        settings.putAll(extra);
        server.start(0, settings, log);
        try {
            return work.run(server.port());
        } catch (SQLException e) {
            throw new IllegalStateException("while " + what + " on " + pgdata + ": " + e.getMessage(), e);
        } finally {
            server.stop();
        }
    }
}
