package dev.xenon.steps;

import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.store.Db;

import java.time.Clock;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** start_compute: the endpoint's compute runs on its branch's data; the endpoint becomes active. */
final class StartCompute implements StepRunner {
    private final Db db;
    private final DesiredState desired;
    private final Provisioner provisioner;
    private final EndpointStore endpoints;
    private final ProjectStore projects;
    private final Clock clock;

    StartCompute(Db db, DesiredState desired, Provisioner provisioner, EndpointStore endpoints,
                 ProjectStore projects, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.desired = requireNonNull(desired, "desired is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.projects = requireNonNull(projects, "projects is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void run(Operation op) {
        Optional<ComputeSpec> spec = desired.compute(op.endpointId());
        if (spec.isEmpty()) {
            return;
        }
        provisioner.startCompute(spec.get());
        db.run(h -> endpoints.markStarted(h, op.endpointId(), clock.instant()));
        db.run(h -> projects.touchActivity(h, op.projectId(), clock.instant()));
    }
}
