package dev.xenon.steps;

import dev.xenon.control.branches.HistorySource;
import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * restore_timeline: replaces the branch's data with the source's at the point (its head when none), keeping the
 * previous data as the preserved branch when there is one. Its computes were suspended by the operations before
 * this one.
 */
final class RestoreTimeline implements StepRunner {
    private final DesiredState desired;
    private final Provisioner provisioner;
    private final ReadyBranches ready;

    RestoreTimeline(DesiredState desired, Provisioner provisioner, ReadyBranches ready) {
        this.desired = requireNonNull(desired, "desired is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.ready = requireNonNull(ready, "ready is null");
    }

    @Override
    public void run(Operation op) {
        Optional<DesiredState.Sourced> plan = desired.sourced(op, "restore source");
        if (plan.isEmpty()) {
            return;
        }
        Map<String, String> params = plan.get().params();
        String timestamp = params.get(HistorySource.TIMESTAMP);
        PointInTime at = new PointInTime(params.get(HistorySource.LSN),
                timestamp == null ? null : Instant.parse(timestamp));
        String preserveAs = params.get(HistorySource.PRESERVE_AS);
        BranchPoint point = provisioner.restoreBranch(plan.get().target(), plan.get().source(), at, preserveAs,
                op.id().toString());
        ready.ready(op.branchId(), point, preserveAs);
    }
}
