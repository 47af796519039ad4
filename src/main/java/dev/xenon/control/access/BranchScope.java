package dev.xenon.control.access;

import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationAction;
import dev.xenon.operations.OperationStore;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;

/**
 * Resolves "project P, branch B" for the calls nested under a branch (roles, databases), and records the
 * apply_config operation that pushes their change to the branch's data.
 */
public final class BranchScope {
    public record Target(Project project, Branch branch) {}

    private final ProjectStore projects;
    private final BranchStore branches;
    private final EndpointStore endpoints;
    private final OperationStore operations;

    public BranchScope(ProjectStore projects, BranchStore branches, EndpointStore endpoints, OperationStore operations) {
        this.projects = projects;
        this.branches = branches;
        this.endpoints = endpoints;
        this.operations = operations;
    }

    public Target resolve(Handle h, Access access, String projectId, String branchId, boolean forUpdate) {
        Project project = projects.find(h, access, projectId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("project " + projectId + " not found"));
        Branch branch = branches.find(h, projectId, branchId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("branch " + branchId + " not found"));
        return new Target(project, branch);
    }

    public List<Operation> applyConfig(Handle h, Target target, Instant now) {
        String endpointId = endpoints.readWriteOf(h, target.branch().id()).map(Endpoint::id).orElse(null);
        return List.of(operations.enqueue(h, target.project().id(), target.branch().id(), endpointId,
                OperationAction.APPLY_CONFIG, List.of(target.branch().id()), now));
    }
}
