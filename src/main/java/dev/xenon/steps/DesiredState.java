package dev.xenon.steps;

import dev.xenon.control.branches.HistorySource;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.EndpointType;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationStore;
import dev.xenon.operations.PermanentFailure;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner.DatabaseSpec;
import dev.xenon.provisioner.Provisioner.Primary;
import dev.xenon.provisioner.Provisioner.RoleSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What a step asks the provisioner to realise, read from the control stores: each method reads everything a spec
 * needs in one go, fresh, so a step run twice converges on the same result. Empty when the branch or endpoint was
 * deleted meanwhile: the step then has nothing left to do.
 */
final class DesiredState {
    private final Db db;
    private final ProjectStore projects;
    private final BranchStore branches;
    private final EndpointStore endpoints;
    private final RoleStore roles;
    private final DatabaseStore databases;
    private final OperationStore operations;

    DesiredState(Db db, ProjectStore projects, BranchStore branches, EndpointStore endpoints, RoleStore roles,
                 DatabaseStore databases, OperationStore operations) {
        this.db = requireNonNull(db, "db is null");
        this.projects = requireNonNull(projects, "projects is null");
        this.branches = requireNonNull(branches, "branches is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.databases = requireNonNull(databases, "databases is null");
        this.operations = requireNonNull(operations, "operations is null");
    }

    /**
     * A live branch, its timeline, the timeline of the branch its new data is read from, and the parameters of the
     * operation that reads it (see {@link HistorySource}).
     */
    record Sourced(Branch branch, TimelineSpec target, TimelineSpec source, Map<String, String> params) {}

    /** The timeline of a live branch. */
    Optional<TimelineSpec> timeline(String branchId) {
        return db.snapshot(h -> liveBranch(h, branchId).map(b -> timeline(h, b)));
    }

    /**
     * The operation's branch, if live, with the branch it reads its data from: the operation's source, or the
     * branch's parent when it names none (a create_branch queued before operations had parameters). A source that
     * is gone fails the step for good ({@code sourceRole} names it in the message).
     */
    Optional<Sourced> sourced(Operation op, String sourceRole) {
        return db.snapshot(h -> liveBranch(h, op.branchId()).map(target -> {
            Map<String, String> params = operations.params(h, op.id());
            String from = params.getOrDefault(HistorySource.SOURCE, target.parentId());
            Branch source = branches.findAnyState(h, from)
                    .orElseThrow(() -> new PermanentFailure(sourceRole + " " + from + " of " + target.id()
                            + " is gone"));
            return new Sourced(target, timeline(h, target), timeline(h, source), params);
        }));
    }

    /** The compute of a live endpoint. */
    Optional<ComputeSpec> compute(String endpointId) {
        return db.snapshot(h -> endpoints.findAnyState(h, endpointId)
                .filter(e -> endpoints.find(h, e.projectId(), e.id(), false).isPresent())
                .map(e -> compute(h, e)));
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
