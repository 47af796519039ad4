package dev.xenon.steps;

import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner;

import static java.util.Objects.requireNonNull;

/** delete_timeline: a deleted branch's data goes (its computes were stopped by the operations before this one). */
final class DeleteTimeline implements StepRunner {
    private final Provisioner provisioner;

    DeleteTimeline(Provisioner provisioner) {
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
    }

    @Override
    public void run(Operation op) {
        provisioner.deleteTimeline(op.projectId(), op.branchId());
    }
}
