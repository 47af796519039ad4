package dev.xenon.provisioner.local;

import dev.xenon.provisioner.Provisioner.ComputeSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Starts the postmaster of a compute with its settings; a read_only one as a hot standby of its copy. */
final class ComputeLauncher {
    private final Distributions distributions;
    private final Optional<OsUser> user;
    private final ComputeFiles files;
    private final Superuser superuser;
    private final double memoryScale;

    ComputeLauncher(Distributions distributions, Optional<OsUser> user, ComputeFiles files, Superuser superuser,
                    double memoryScale) {
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.files = requireNonNull(files, "files is null");
        this.superuser = requireNonNull(superuser, "superuser is null");
        this.memoryScale = memoryScale;
    }

    /**
     * @param replicaDir the read_only compute's own copy (equal to {@code pgdata}), or null for read_write
     * @param extra      settings only Xenon decides, added last (WAL archiving of a read_write compute)
     */
    Compute start(ComputeSpec spec, Path pgdata, Path replicaDir, Path log, Map<String, String> extra) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(ComputeSettings.of(spec, memoryScale, files));
        settings.putAll(extra);
        if (spec.readOnly()) {
            becomeStandby(pgdata, spec);
        }
        PostgresServer server = new PostgresServer(distributions.get(spec.pgVersion()), user, pgdata);
        DataLayout.privateDir(log.getParent());
        try {
            server.start(spec.port(), settings, log);
        } catch (RuntimeException e) {
            throw new IllegalStateException("while starting the compute of endpoint " + spec.endpointId() + " on "
                    + "port " + spec.port() + ": " + e.getMessage(), e);
        }
        return new Compute(spec, server, replicaDir);
    }

    /**
     * standby.signal makes the copy a hot standby: it serves reads and rejects writes (SQLSTATE 25006). With a
     * writer on the branch it streams from it, reconnecting by itself whenever the writer is back after a
     * suspend; without one it serves the copied data as it is. The connection string, password included, goes
     * in postgresql.auto.conf (mode 600) rather than on the command line, where any local user could read it.
     */
    private void becomeStandby(Path pgdata, ComputeSpec spec) {
        try {
            Path signal = pgdata.resolve("standby.signal");
            Files.writeString(signal, "");
            user.ifPresent(u -> u.chown(signal));
            if (spec.primary() != null) {
                String conninfo = "host=127.0.0.1 port=" + spec.primary().port() + " user=" + superuser.name()
                        + " password=" + superuser.password() + " application_name=" + spec.endpointId()
                        + " sslmode=disable";
                Path auto = pgdata.resolve("postgresql.auto.conf");
                Files.writeString(auto, "primary_conninfo = " + Sql.literal(conninfo) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                user.ifPresent(u -> u.chown(auto));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while making " + pgdata + " a standby", e);
        }
    }
}
