package dev.xenon.steps;

import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationStore;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.store.Db;

import java.time.Clock;

/**
 * What each action does: read the desired state, have the provisioner realise it, record the outcome. Each step
 * reads fresh rows, so running it twice converges on the same result.
 */
public final class Steps implements StepRunner {
    private final StepRunner createTimeline;
    private final StepRunner restoreTimeline;
    private final StepRunner createBranch;
    private final StepRunner startCompute;
    private final StepRunner suspendCompute;
    private final StepRunner applyConfig;
    private final StepRunner deleteTimeline;

    public Steps(Db db, Provisioner provisioner, ProjectStore projects, BranchStore branches, EndpointStore endpoints,
                 RoleStore roles, DatabaseStore databases, OperationStore operations, Clock clock) {
        DesiredState desired = new DesiredState(db, projects, branches, endpoints, roles, databases, operations);
        ReadyBranches ready = new ReadyBranches(db, branches, clock);
        this.createTimeline = new CreateTimeline(desired, provisioner, ready);
        this.restoreTimeline = new RestoreTimeline(desired, provisioner, ready);
        this.createBranch = new CreateBranch(desired, provisioner, ready);
        this.startCompute = new StartCompute(db, desired, provisioner, endpoints, projects, clock);
        this.suspendCompute = new SuspendCompute(db, provisioner, endpoints, clock);
        this.applyConfig = new ApplyConfig(desired, provisioner);
        this.deleteTimeline = new DeleteTimeline(provisioner);
    }

    @Override
    public void run(Operation op) {
        StepRunner step = switch (op.action()) {
            case CREATE_TIMELINE -> createTimeline;
            case RESTORE_TIMELINE -> restoreTimeline;
            case CREATE_BRANCH -> createBranch;
            case START_COMPUTE -> startCompute;
            case SUSPEND_COMPUTE -> suspendCompute;
            case APPLY_CONFIG -> applyConfig;
            case DELETE_TIMELINE -> deleteTimeline;
        };
        step.run(op);
    }
}
