package dev.xenon.provisioner.local.compute;

import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.local.postgres.PostgresServer;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * One running compute: a postmaster for an endpoint, on its branch's data (read_write) or on its own copy of it
 * (read_only, {@code replicaDir}).
 */
public final class Compute {
    private final ComputeSpec spec;
    private final PostgresServer server;
    private final Path replicaDir;
    private volatile boolean stopping;
    private volatile int following;

    Compute(ComputeSpec spec, PostgresServer server, Path replicaDir) {
        this.spec = requireNonNull(spec, "spec is null");
        this.server = requireNonNull(server, "server is null");
        this.replicaDir = replicaDir;
    }

    ComputeSpec spec() {
        return spec;
    }

    public String endpointId() {
        return spec.endpointId();
    }

    public String branchId() {
        return spec.branchId();
    }

    public boolean readOnly() {
        return spec.readOnly();
    }

    public PostgresServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** The read_only compute's own data directory, or null for a read_write compute. */
    Path replicaDir() {
        return replicaDir;
    }

    /** For a read_only compute: the port of the writer its primary_conninfo names, or 0 for none. */
    int following() {
        return following;
    }

    void following(int writerPort) {
        this.following = writerPort;
    }

    /** Marks a stop as asked for, so its exit is not reported as a crash. */
    void markStopping() {
        stopping = true;
    }

    boolean stopping() {
        return stopping;
    }
}
