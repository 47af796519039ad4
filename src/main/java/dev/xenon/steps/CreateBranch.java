package dev.xenon.steps;

import dev.xenon.control.model.Branch;
import dev.xenon.control.model.InitSource;
import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * create_branch: a child branch gets a copy of its source's data, at its head or at a point in its history. The
 * source is the parent, or the ancestor whose history holds a point before the parent's own branch point (see
 * HistoryPoints).
 */
final class CreateBranch implements StepRunner {
    private final DesiredState desired;
    private final Provisioner provisioner;
    private final ReadyBranches ready;

    CreateBranch(DesiredState desired, Provisioner provisioner, ReadyBranches ready) {
        this.desired = requireNonNull(desired, "desired is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.ready = requireNonNull(ready, "ready is null");
    }

    @Override
    public void run(Operation op) {
        Optional<DesiredState.Sourced> plan = desired.sourced(op, "source");
        if (plan.isEmpty()) {
            return;
        }
        Branch child = plan.get().branch();
        BranchPoint point = provisioner.createBranch(plan.get().target(), plan.get().source(),
                new PointInTime(child.parentLsn(), child.parentTimestamp()), child.initSource() == InitSource.SCHEMA_ONLY);
        ready.ready(op.branchId(), point);
    }
}
