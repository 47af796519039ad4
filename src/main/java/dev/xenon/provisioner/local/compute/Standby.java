package dev.xenon.provisioner.local.compute;

import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.Sql;
import dev.xenon.provisioner.local.postgres.Superuser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * Makes a read_only compute's copy a hot standby of its branch's writer, and keeps it following the writer. The
 * writer listens on a port picked free at each of its starts, so a replica is pointed at it again whenever it
 * starts; until then the replica serves what it has and its walreceiver retries the old address.
 */
public final class Standby {
    private static final Logger LOG = LoggerFactory.getLogger(Standby.class);

    private final Optional<OsUser> user;
    private final Superuser superuser;
    private final AdminJdbc jdbc;

    public Standby(Optional<OsUser> user, Superuser superuser, AdminJdbc jdbc) {
        this.user = requireNonNull(user, "user is null");
        this.superuser = requireNonNull(superuser, "superuser is null");
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    /**
     * standby.signal makes the copy a hot standby: it serves reads and rejects writes (SQLSTATE 25006). With a
     * running writer it streams from it. The connection string, password included, goes in postgresql.auto.conf
     * (mode 600) rather than on the command line, where any local user could read it.
     */
    void prepare(Path pgdata, String endpointId, OptionalInt primaryPort) {
        try {
            Path signal = pgdata.resolve("standby.signal");
            Files.writeString(signal, "");
            user.ifPresent(u -> u.chown(signal));
            if (primaryPort.isPresent()) {
                Path auto = pgdata.resolve("postgresql.auto.conf");
                Files.writeString(auto, "primary_conninfo = "
                                + Sql.literal(conninfo(primaryPort.getAsInt(), endpointId)) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                user.ifPresent(u -> u.chown(auto));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while making " + pgdata + " a standby", e);
        }
    }

    /**
     * Points each running replica that does not follow {@code primaryPort} yet at it. primary_conninfo is reloadable
     * (Postgres 13+): the startup process restarts its walreceiver with the new value. A replica that cannot be
     * reached now is left as it is and tried again at the writer's next start.
     */
    public void follow(List<Compute> replicas, int primaryPort) {
        for (Compute replica : replicas) {
            if (!replica.readOnly() || replica.following() == primaryPort || !replica.server().isAlive()) {
                continue;
            }
            try (Connection c = jdbc.open(replica.port(), "postgres")) {
                // The value holds the internal superuser's password: keep the statement out of the compute's log,
                // also when it fails (log_min_error_statement would print it).
                Sql.execute(c, "set log_statement = 'none'");
                Sql.execute(c, "set log_min_error_statement = panic");
                Sql.execute(c, "alter system set primary_conninfo = "
                        + Sql.literal(conninfo(primaryPort, replica.endpointId())));
                Sql.execute(c, "select pg_reload_conf()");
                replica.following(primaryPort);
            } catch (SQLException e) {
                LOG.warn("while pointing the replica {} at its writer on port {}: {}", replica.endpointId(),
                        primaryPort, e.getMessage());
            }
        }
    }

    private String conninfo(int primaryPort, String endpointId) {
        return "host=127.0.0.1 port=" + primaryPort + " user=" + superuser.name() + " password="
                + superuser.password() + " application_name=" + endpointId + " sslmode=disable";
    }
}
