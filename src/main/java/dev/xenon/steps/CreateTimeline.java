package dev.xenon.steps;

import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner;

import static java.util.Objects.requireNonNull;

/** create_timeline: a new project's root branch gets its data (a fresh cluster with its roles and databases). */
final class CreateTimeline implements StepRunner {
    private final DesiredState desired;
    private final Provisioner provisioner;
    private final ReadyBranches ready;

    CreateTimeline(DesiredState desired, Provisioner provisioner, ReadyBranches ready) {
        this.desired = requireNonNull(desired, "desired is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.ready = requireNonNull(ready, "ready is null");
    }

    @Override
    public void run(Operation op) {
        desired.timeline(op.branchId())
                .ifPresent(spec -> ready.ready(op.branchId(), provisioner.createRootTimeline(spec)));
    }
}
