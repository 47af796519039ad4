package dev.xenon.operations;

import dev.xenon.control.branches.Branch;
import dev.xenon.control.branches.BranchState;
import dev.xenon.control.branches.InitSource;
import dev.xenon.control.branches.BranchStore;
import dev.xenon.control.databases.DatabaseStore;
import dev.xenon.control.endpoints.Endpoint;
import dev.xenon.control.endpoints.EndpointType;
import dev.xenon.control.endpoints.EndpointStore;
import dev.xenon.control.projects.Project;
import dev.xenon.control.projects.ProjectStore;
import dev.xenon.control.roles.RoleStore;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner.DatabaseSpec;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner.Primary;
import dev.xenon.provisioner.Provisioner.RoleSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What each action does: read the desired state, have the provisioner realise it, record the outcome. Each step
 * reads fresh rows, so running it twice converges on the same result.
 */
public final class Steps implements StepRunner {
    private final Db db;
    private final Provisioner provisioner;
    private final ProjectStore projects;
    private final BranchStore branches;
    private final EndpointStore endpoints;
    private final RoleStore roles;
    private final DatabaseStore databases;
    private final OperationStore operations;
    private final Clock clock;

    public Steps(Db db, Provisioner provisioner, ProjectStore projects, BranchStore branches, EndpointStore endpoints,
                 RoleStore roles, DatabaseStore databases, OperationStore operations, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
        this.projects = projects;
        this.branches = branches;
        this.endpoints = endpoints;
        this.roles = roles;
        this.databases = databases;
        this.operations = requireNonNull(operations, "operations is null");
        this.clock = clock;
    }

    @Override
    public void run(Operation op) {
        switch (op.action()) {
            case Operation.CREATE_TIMELINE -> {
                Map<String, String> params = db.read(h -> operations.params(h, op.id()));
                if (params.containsKey(Operation.PARAM_SOURCE)) {
                    restore(op, params);
                } else {
                    createTimeline(op);
                }
            }
            case Operation.CREATE_BRANCH -> createBranch(op);
            case Operation.START_COMPUTE -> startCompute(op);
            case Operation.SUSPEND_COMPUTE -> suspendCompute(op);
            case Operation.APPLY_CONFIG -> applyConfig(op);
            case Operation.DELETE_TIMELINE -> provisioner.deleteTimeline(op.projectId(), op.branchId());
            default -> throw new PermanentFailure("no step for action " + op.action());
        }
    }

    private void createTimeline(Operation op) {
        Optional<TimelineSpec> spec = db.read(h -> liveBranch(h, op.branchId()).map(b -> timeline(h, b)));
        if (spec.isEmpty()) {
            return;
        }
        BranchPoint point = provisioner.createRootTimeline(spec.get());
        markReady(op.branchId(), point);
    }

    private void createBranch(Operation op) {
        record Plan(TimelineSpec child, TimelineSpec parent, PointInTime at, boolean schemaOnly) {}
        Optional<Plan> plan = db.read(h -> liveBranch(h, op.branchId()).map(child -> {
            // A point before the parent's own branch point lies in an ancestor's history (see HistoryPoints).
            String sourceId = operations.params(h, op.id()).getOrDefault(Operation.PARAM_SOURCE, child.parentId());
            Branch parent = branches.findAnyState(h, sourceId)
                    .orElseThrow(() -> new PermanentFailure("source " + sourceId + " of " + child.id()
                            + " is gone"));
            return new Plan(timeline(h, child), timeline(h, parent),
                    new PointInTime(child.parentLsn(), child.parentTimestamp()),
                    child.initSource() == InitSource.SCHEMA_ONLY);
        }));
        if (plan.isEmpty()) {
            return;
        }
        Plan p = plan.get();
        BranchPoint point = provisioner.createBranch(p.child(), p.parent(), p.at(), p.schemaOnly());
        markReady(op.branchId(), point);
    }

    /**
     * Replaces the branch's data with the source's at the point (its head when none), keeping the previous data as
     * the preserved branch when there is one. Its computes were suspended by the operations before this one.
     */
    private void restore(Operation op, Map<String, String> params) {
        record Plan(TimelineSpec target, TimelineSpec source, PointInTime at, String preserveAs) {}
        String timestamp = params.get(Operation.PARAM_TIMESTAMP);
        PointInTime at = new PointInTime(params.get(Operation.PARAM_LSN),
                timestamp == null ? null : Instant.parse(timestamp));
        Optional<Plan> plan = db.read(h -> liveBranch(h, op.branchId()).map(target -> {
            Branch source = branches.findAnyState(h, params.get(Operation.PARAM_SOURCE))
                    .orElseThrow(() -> new PermanentFailure("restore source " + params.get(Operation.PARAM_SOURCE)
                            + " of " + target.id() + " is gone"));
            return new Plan(timeline(h, target), timeline(h, source), at, params.get(Operation.PARAM_PRESERVE_AS));
        }));
        if (plan.isEmpty()) {
            return;
        }
        Plan p = plan.get();
        BranchPoint point = provisioner.restoreBranch(p.target(), p.source(), p.at(), p.preserveAs(),
                op.id().toString());
        db.run(h -> {
            branches.recordBranchPoint(h, op.branchId(), point.lsn(), point.timestamp(), point.logicalSize());
            branches.setState(h, op.branchId(), BranchState.READY, null, clock.instant());
            if (p.preserveAs() != null) {
                branches.setState(h, p.preserveAs(), BranchState.READY, null, clock.instant());
            }
        });
    }

    private void markReady(String branchId, BranchPoint point) {
        db.run(h -> {
            branches.recordBranchPoint(h, branchId, point.lsn(), point.timestamp(), point.logicalSize());
            branches.setState(h, branchId, BranchState.READY, null, clock.instant());
        });
    }

    private void startCompute(Operation op) {
        Optional<ComputeSpec> spec = db.read(h -> endpoints.findAnyState(h, op.endpointId())
                .filter(e -> endpoints.find(h, e.projectId(), e.id(), false).isPresent())
                .map(e -> compute(h, e)));
        if (spec.isEmpty()) {
            return;
        }
        provisioner.startCompute(spec.get());
        db.run(h -> endpoints.markStarted(h, op.endpointId(), clock.instant()));
        db.run(h -> projects.touchActivity(h, op.projectId(), clock.instant()));
    }

    private void suspendCompute(Operation op) {
        provisioner.stopCompute(op.endpointId());
        db.run(h -> endpoints.markIdle(h, op.endpointId(), clock.instant()));
    }

    private void applyConfig(Operation op) {
        Optional<TimelineSpec> spec = db.read(h -> liveBranch(h, op.branchId()).map(b -> timeline(h, b)));
        spec.ifPresent(provisioner::applyConfig);
    }

    private Optional<Branch> liveBranch(Handle h, String branchId) {
        return branches.findAnyState(h, branchId).flatMap(b -> branches.find(h, b.projectId(), b.id(), false));
    }

    private TimelineSpec timeline(Handle h, Branch branch) {
        Project project = projects.findAny(h, branch.projectId())
                .orElseThrow(() -> new PermanentFailure("project of " + branch.id() + " is gone"));
        return new TimelineSpec(project.id(), branch.id(), project.pgVersion(),
                roles.list(h, branch.id()).stream().map(r -> new RoleSpec(r.name(), r.scramVerifier(), r.noLogin()))
                        .toList(),
                databases.list(h, branch.id()).stream()
                        .map(d -> new DatabaseSpec(d.id(), d.name(), d.ownerName())).toList());
    }

    private ComputeSpec compute(Handle h, Endpoint e) {
        Project project = projects.findAny(h, e.projectId())
                .orElseThrow(() -> new PermanentFailure("project of " + e.id() + " is gone"));
        boolean logical = Boolean.TRUE.equals(project.settings().enableLogicalReplication());
        boolean readOnly = e.type() == EndpointType.READ_ONLY;
        Branch branch = branches.findAnyState(h, e.branchId())
                .orElseThrow(() -> new PermanentFailure("branch of " + e.id() + " is gone"));
        // A replica follows the branch's read_write endpoint, and must be sized at least like it (see ComputeSpec).
        Primary primary = !readOnly ? null : endpoints.readWriteOf(h, e.branchId())
                .map(rw -> new Primary(rw.id(), rw.autoscalingLimitMinCu(), rw.autoscalingLimitMaxCu()))
                .orElse(null);
        // Port 0: the provisioner picks where the compute listens; the endpoint's own port is the proxy's.
        return new ComputeSpec(project.id(), e.branchId(), e.id(), project.pgVersion(), readOnly,
                e.autoscalingLimitMinCu(), e.autoscalingLimitMaxCu(), logical, e.pgSettings(), 0, primary,
                timeline(h, branch));
    }
}
