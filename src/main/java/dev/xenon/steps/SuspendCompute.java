package dev.xenon.steps;

import dev.xenon.control.model.EndpointStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.store.Db;

import java.time.Clock;

import static java.util.Objects.requireNonNull;

/** suspend_compute: the endpoint's compute stops; the endpoint becomes idle (scale to zero, or before a change). */
final class SuspendCompute implements StepRunner {
    private final Db db;
    private final Provisioner provisioner;
    private final EndpointStore endpoints;
    private final Clock clock;

    SuspendCompute(Db db, Provisioner provisioner, EndpointStore endpoints, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void run(Operation op) {
        provisioner.stopCompute(op.endpointId());
        db.run(h -> endpoints.markIdle(h, op.endpointId(), clock.instant()));
    }
}
