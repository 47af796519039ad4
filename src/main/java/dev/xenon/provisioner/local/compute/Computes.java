package dev.xenon.provisioner.local.compute;

import dev.xenon.provisioner.local.copy.Recycling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The running computes, by endpoint, and their supervision: a compute that exits without being asked to is
 * dropped from the registry and reported to the listener, so its endpoint can be marked idle.
 */
public final class Computes {
    private static final Logger LOG = LoggerFactory.getLogger(Computes.class);

    private final Recycling recycling;
    private final Map<String, Compute> running = new ConcurrentHashMap<>();
    private volatile Consumer<String> exitListener = endpointId -> { };

    public Computes(Recycling recycling) {
        this.recycling = requireNonNull(recycling, "recycling is null");
    }

    public void onExit(Consumer<String> listener) {
        this.exitListener = requireNonNull(listener, "listener is null");
    }

    /** Registers a started compute and starts watching its postmaster. */
    public void add(Compute compute) {
        Compute previous = running.get(compute.endpointId());
        if (previous != null && !previous.server().isAlive()) {
            // Its exit is being reported right now; report it here first so the new compute can take its place.
            exited(previous);
        }
        previous = running.putIfAbsent(compute.endpointId(), compute);
        if (previous != null && previous != compute) {
            throw new IllegalStateException("endpoint " + compute.endpointId() + " already has a running compute");
        }
        compute.server().onExit().thenRun(() -> exited(compute));
    }

    private void exited(Compute compute) {
        if (!running.remove(compute.endpointId(), compute) || compute.stopping()) {
            return;
        }
        LOG.warn("the compute of endpoint {} (branch {}) exited on its own; marking it idle",
                compute.endpointId(), compute.branchId());
        try {
            exitListener.accept(compute.endpointId());
        } catch (RuntimeException e) {
            LOG.warn("while reporting the exit of the compute of endpoint {}: {}", compute.endpointId(), e.toString());
        }
    }

    /** The endpoint's compute if its postmaster is alive. */
    public Optional<Compute> get(String endpointId) {
        return Optional.ofNullable(running.get(endpointId)).filter(c -> c.server().isAlive());
    }

    public Optional<Compute> readWriteOn(String branchId) {
        return running.values().stream()
                .filter(c -> !c.readOnly() && c.branchId().equals(branchId) && c.server().isAlive())
                .findFirst();
    }

    /** The port of the branch's running writer, if any. */
    public OptionalInt writerPort(String branchId) {
        return readWriteOn(branchId).map(c -> OptionalInt.of(c.port())).orElse(OptionalInt.empty());
    }

    public List<Compute> onBranch(String branchId) {
        return running.values().stream().filter(c -> c.branchId().equals(branchId)).toList();
    }

    public List<Compute> all() {
        return List.copyOf(running.values());
    }

    /** Fast shutdown of the compute; a read_only compute's copy goes with it, since every start makes a new one. */
    public void stop(Compute compute) {
        compute.markStopping();
        try {
            compute.server().stop();
        } finally {
            running.remove(compute.endpointId(), compute);
        }
        if (compute.replicaDir() != null && Files.exists(compute.replicaDir())) {
            recycling.deleteTree(compute.replicaDir());
        }
    }
}
