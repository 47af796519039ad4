package dev.xenon.provisioner.local.compute;

import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.PostgresServer;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/** Starts the postmaster of a compute with its settings; a read_only one as a hot standby of its copy. */
public final class ComputeLauncher {
    private final Distributions distributions;
    private final Optional<OsUser> user;
    private final ComputeFiles files;
    private final Standby standby;
    private final double memoryScale;

    public ComputeLauncher(Distributions distributions, Optional<OsUser> user, ComputeFiles files, Standby standby,
                    double memoryScale) {
        this.distributions = requireNonNull(distributions, "distributions is null");
        this.user = requireNonNull(user, "user is null");
        this.files = requireNonNull(files, "files is null");
        this.standby = requireNonNull(standby, "standby is null");
        this.memoryScale = memoryScale;
    }

    /**
     * @param replicaDir the read_only compute's own copy (equal to {@code pgdata}), or null for read_write
     * @param extra      settings only Xenon decides, added last (WAL archiving of a read_write compute)
     * @param writerPort where the branch's writer runs, for a read_only compute to follow; empty when none runs
     */
    public Compute start(ComputeSpec spec, Path pgdata, Path replicaDir, Path log, Map<String, String> extra,
                  OptionalInt writerPort) {
        Map<String, String> settings = new java.util.LinkedHashMap<>(ComputeSettings.of(spec, memoryScale, files));
        settings.putAll(extra);
        if (spec.readOnly()) {
            standby.prepare(pgdata, spec.endpointId(), writerPort);
        }
        PostgresServer server = new PostgresServer(distributions.get(spec.pgVersion()), user, pgdata);
        DataLayout.privateDir(log.getParent());
        try {
            // Port 0: a loopback port free right now, retried if someone takes it before the postmaster binds it.
            server.start(spec.port(), settings, log);
        } catch (RuntimeException e) {
            throw new IllegalStateException("while starting the compute of endpoint " + spec.endpointId() + ": "
                    + e.getMessage(), e);
        }
        Compute compute = new Compute(spec, server, replicaDir);
        if (spec.readOnly()) {
            writerPort.ifPresent(compute::following);
        }
        return compute;
    }
}
