package dev.xenon.control.branches;

import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.Ids;
import dev.xenon.control.branches.HistoryPoints.Histories;
import dev.xenon.control.endpoints.EndpointCreate;
import dev.xenon.control.endpoints.EndpointService;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchQuery;
import dev.xenon.control.model.BranchState;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.InitSource;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationAction;
import dev.xenon.operations.OperationStore;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Branches: copy-on-write children of a parent, with the parent's roles and databases. */
public final class BranchService {
    public record Result(Branch branch, List<Operation> operations) {}

    private final Db db;
    private final ProjectStore projects;
    private final BranchStore branches;
    private final EndpointStore endpoints;
    private final RoleStore roles;
    private final DatabaseStore databases;
    private final OperationStore operations;
    private final EndpointService endpointService;
    private final Ids ids;
    private final Clock clock;
    private final HistoryPoints points;

    public BranchService(Db db, ProjectStore projects, BranchStore branches, EndpointStore endpoints, RoleStore roles,
                         DatabaseStore databases, OperationStore operations, EndpointService endpointService, Ids ids,
                         Clock clock, Provisioner provisioner) {
        this.db = requireNonNull(db, "db is null");
        this.projects = projects;
        this.branches = branches;
        this.endpoints = endpoints;
        this.roles = roles;
        this.databases = databases;
        this.operations = operations;
        this.endpointService = endpointService;
        this.ids = ids;
        this.clock = clock;
        this.points = new HistoryPoints(branches, provisioner);
    }

    public BranchCreated create(Access access, String projectId, BranchCreate spec, List<EndpointCreate> endpointSpecs,
                                Map<String, String> annotation) {
        boolean pointInTime = spec.parentLsn() != null || spec.parentTimestamp() != null;
        Histories histories = !pointInTime ? Histories.NONE : points.histories(db.read(h -> {
            project(h, access, projectId, false);
            Optional<Branch> parent = spec.parentId() == null ? branches.findDefault(h, projectId)
                    : branches.find(h, projectId, spec.parentId(), false);
            return parent.map(p -> points.lineage(h, p)).orElse(List.of());
        }));
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            Instant now = clock.instant();
            Branch parent = spec.parentId() == null
                    ? branches.findDefault(h, projectId).orElseThrow(() -> DomainException.notFound(
                            "project " + projectId + " has no default branch"))
                    : branches.find(h, projectId, spec.parentId(), false).orElseThrow(() -> DomainException.notFound(
                            "branch.parent_id " + spec.parentId() + " not found"));
            // Before the parent's branch point, the parent's data was its own parent's: look the point up there.
            Branch source = !pointInTime ? parent : points.resolve(h, histories, project, parent, spec.parentLsn(),
                    spec.parentTimestamp(), now, spec.parentLsn() != null ? "branch.parent_lsn"
                            : "branch.parent_timestamp").source();
            if (spec.expiresAt() != null && !spec.expiresAt().isAfter(now)) {
                throw DomainException.invalid("branch.expires_at must be in the future");
            }
            String id = ids.branch();
            String name = spec.name() == null ? id : spec.name();
            if (branches.findByName(h, projectId, name).isPresent()) {
                throw DomainException.conflict("branch '" + name + "' already exists in project " + projectId);
            }
            Branch branch = Branch.starting(id, projectId, name, access.userId(), now).parentId(parent.id())
                    .parentLsn(spec.parentLsn()).parentTimestamp(spec.parentTimestamp())
                    .isProtected(Boolean.TRUE.equals(spec.isProtected()))
                    .initSource(spec.initSource() == null ? InitSource.PARENT_DATA : spec.initSource())
                    .expiresAt(spec.expiresAt()).annotation(annotation)
                    .annotationCreatedAt(annotation == null ? null : now)
                    .annotationUpdatedAt(annotation == null ? null : now).build();
            branches.insert(h, branch);
            roles.copy(h, parent.id(), id);
            databases.copy(h, parent.id(), id);
            List<Operation> ops = new ArrayList<>();
            ops.add(operations.enqueue(h, projectId, id, null, OperationAction.CREATE_BRANCH,
                    List.of(id, parent.id(), source.id()), now, Map.of(HistorySource.SOURCE, source.id())));
            List<Endpoint> made = new ArrayList<>();
            for (EndpointCreate endpointSpec : endpointSpecs) {
                if (endpointSpec.type() == null) {
                    throw DomainException.invalid("endpoints[].type is required");
                }
                EndpointService.Result result = endpointService.provision(h, project, branch, endpointSpec, now);
                made.add(result.endpoint());
                ops.addAll(result.operations());
            }
            return new BranchCreated(branch, made, ops, roles.list(h, id), databases.list(h, id));
        });
    }

    /**
     * Replaces a branch's data with the source's at a point (its head by default), keeping the branch's id,
     * endpoints and connection strings; its computes are suspended and started again on the new data. With
     * {@code preserve_under_name}, its current state (data, history, children) is kept as a new branch of that name,
     * which becomes the restored branch's parent, as on Neon. Restoring a branch to its own history, or one with
     * children, needs that name: otherwise what is replaced would be lost for good.
     */
    public Result restore(Access access, String projectId, String branchId, BranchRestore request) {
        Histories histories = !request.pointInTime() ? Histories.NONE : points.histories(db.read(h -> {
            project(h, access, projectId, false);
            return branches.find(h, projectId, request.sourceBranchId(), false).map(b -> points.lineage(h, b))
                    .orElse(List.of());
        }));
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            Branch target = branch(h, projectId, branchId, true);
            boolean self = request.sourceBranchId().equals(target.id());
            Branch source = self ? target : branches.find(h, projectId, request.sourceBranchId(), false)
                    .orElseThrow(() -> DomainException.notFound("source_branch_id " + request.sourceBranchId()
                            + " not found"));
            String preserve = request.preserveUnderName();
            if (self && !request.pointInTime()) {
                throw DomainException.invalid("source_lsn or source_timestamp is required to restore branch "
                        + target.id() + " to its own history");
            }
            if (self && preserve == null) {
                throw DomainException.invalid("preserve_under_name is required to restore branch " + target.id()
                        + " to its own history: its current state is kept under that name");
            }
            if (preserve == null && branches.hasChildren(h, target.id())) {
                throw DomainException.invalid("branch " + target.id() + " has child branches; give "
                        + "preserve_under_name to keep its current state, to which they move");
            }
            if (preserve != null && branches.findByName(h, projectId, preserve).isPresent()) {
                throw DomainException.conflict("branch '" + preserve + "' already exists in project " + projectId);
            }
            Instant now = clock.instant();
            Branch from = !request.pointInTime() ? source : points.resolve(h, histories, project, source, request.sourceLsn(),
                    request.sourceTimestamp(), now, request.sourceLsn() != null ? "source_lsn" : "source_timestamp")
                    .source();

            EndpointService.Suspended suspended = endpointService.suspendForRestore(h, project, target.id(), now);
            List<Operation> ops = new ArrayList<>(suspended.operations());
            String backupId = null;
            if (preserve != null) {
                backupId = ids.branch();
                // The preserved branch takes over the target's place in the tree and its data as it is now.
                branches.insert(h, Branch.starting(backupId, projectId, preserve, access.userId(), now)
                        .parentId(target.parentId()).parentLsn(target.parentLsn())
                        .parentTimestamp(target.parentTimestamp()).initSource(target.initSource())
                        .logicalSize(target.logicalSize()).lastResetAt(target.lastResetAt()).build());
                roles.copy(h, target.id(), backupId);
                databases.copy(h, target.id(), backupId);
                branches.reparentChildren(h, target.id(), backupId, now);
            }
            String parent = backupId != null ? backupId : self ? target.parentId() : source.id();
            branches.markRestored(h, target.id(), parent, request.sourceLsn(), request.sourceTimestamp(), now);
            if (!self) {
                // The branch's roles and databases are part of the data it takes over.
                roles.deleteAll(h, target.id());
                databases.deleteAll(h, target.id());
                roles.copy(h, source.id(), target.id());
                databases.copy(h, source.id(), target.id());
            }
            List<String> resources = new ArrayList<>(List.of(target.id(), source.id(), from.id()));
            if (backupId != null) {
                resources.add(backupId);
            }
            Map<String, String> params = new java.util.HashMap<>();
            params.put(HistorySource.SOURCE, from.id());
            params.put(HistorySource.LSN, request.sourceLsn());
            params.put(HistorySource.TIMESTAMP, request.sourceTimestamp() == null ? null
                    : request.sourceTimestamp().toString());
            params.put(HistorySource.PRESERVE_AS, backupId);
            ops.add(operations.enqueue(h, projectId, target.id(), null, OperationAction.RESTORE_TIMELINE, resources, now,
                    params));
            ops.addAll(endpointService.startAgain(h, project, suspended.toRestart(), now));
            return new Result(branch(h, projectId, target.id(), false), ops);
        });
    }

    public Branch get(Access access, String projectId, String branchId) {
        return db.read(h -> {
            project(h, access, projectId, false);
            return branch(h, projectId, branchId, false);
        });
    }

    public List<Branch> list(Access access, BranchQuery query) {
        return db.read(h -> {
            project(h, access, query.projectId(), false);
            return branches.listPage(h, query);
        });
    }

    public int count(Access access, String projectId, String search) {
        return db.read(h -> {
            project(h, access, projectId, false);
            return branches.count(h, projectId, search);
        });
    }

    public List<Endpoint> endpointsOf(Access access, String projectId, String branchId) {
        return db.read(h -> {
            project(h, access, projectId, false);
            branch(h, projectId, branchId, false);
            return endpoints.listByBranch(h, branchId);
        });
    }

    public Result update(Access access, String projectId, String branchId, BranchUpdate patch) {
        return db.write(h -> {
            project(h, access, projectId, true);
            Branch current = branch(h, projectId, branchId, true);
            Instant now = clock.instant();
            if (patch.name() != null && !patch.name().equals(current.name())
                    && branches.findByName(h, projectId, patch.name()).isPresent()) {
                throw DomainException.conflict("branch '" + patch.name() + "' already exists in project " + projectId);
            }
            if (patch.expiresAtGiven() && patch.expiresAt() != null && !patch.expiresAt().isAfter(now)) {
                throw DomainException.invalid("branch.expires_at must be in the future");
            }
            Branch updated = current.toBuilder()
                    .name(patch.name() == null ? current.name() : patch.name())
                    .isProtected(patch.isProtected() == null ? current.isProtected() : patch.isProtected())
                    .expiresAt(patch.expiresAtGiven() ? patch.expiresAt() : current.expiresAt())
                    .updatedAt(now).build();
            branches.update(h, updated);
            return new Result(branch(h, projectId, branchId, false), List.of());
        });
    }

    public Result setDefault(Access access, String projectId, String branchId) {
        return db.write(h -> {
            project(h, access, projectId, true);
            Branch target = branch(h, projectId, branchId, true);
            if (!target.isDefault()) {
                Instant now = clock.instant();
                branches.clearDefault(h, projectId, now);
                // The default branch never expires.
                Branch updated = target.toBuilder().isDefault(true).expiresAt(null).updatedAt(now).build();
                branches.update(h, updated);
            }
            return new Result(branch(h, projectId, branchId, false), List.of());
        });
    }

    public Result delete(Access access, String projectId, String branchId) {
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            Branch current = branch(h, projectId, branchId, true);
            if (current.isDefault()) {
                throw DomainException.conflict("branch " + branchId + " is the project's default branch and cannot "
                        + "be deleted; make another branch the default first");
            }
            if (current.isProtected()) {
                throw DomainException.conflict("branch " + branchId + " is protected; unprotect it before deleting it");
            }
            if (branches.hasChildren(h, branchId)) {
                throw DomainException.conflict("branch " + branchId + " has child branches; delete them first");
            }
            return retire(h, project, current, clock.instant());
        });
    }

    /** Deletes a branch inside the caller's transaction: stops its computes, then removes its data. */
    public Result retire(Handle h, Project project, Branch branch, Instant now) {
        List<Operation> ops = new ArrayList<>(endpointService.retireAll(h, project, branch.id(), now));
        branches.markDeleted(h, branch.id(), now);
        branches.setPending(h, branch.id(), BranchState.STORAGE_DELETED, now);
        ops.add(operations.enqueue(h, project.id(), branch.id(), null, OperationAction.DELETE_TIMELINE,
                List.of(branch.id()), now));
        Branch shown = branch.toBuilder().pendingState(BranchState.STORAGE_DELETED).updatedAt(now).build();
        return new Result(shown, ops);
    }

    /** Deletes branches whose expiry time has passed; children go before their parents. */
    public int deleteExpired() {
        int deleted = 0;
        for (Branch expired : db.read(h -> branches.expired(h, clock.instant()))) {
            boolean done = db.write(h -> {
                Branch current = branches.find(h, expired.projectId(), expired.id(), true).orElse(null);
                Project project = projects.findAny(h, expired.projectId()).orElse(null);
                if (current == null || project == null || current.isDefault() || branches.hasChildren(h, current.id())) {
                    return false;
                }
                retire(h, project, current, clock.instant());
                return true;
            });
            deleted += done ? 1 : 0;
        }
        return deleted;
    }

    private Project project(Handle h, Access access, String projectId, boolean forUpdate) {
        return projects.find(h, access, projectId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("project " + projectId + " not found"));
    }

    private Branch branch(Handle h, String projectId, String branchId, boolean forUpdate) {
        return branches.find(h, projectId, branchId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("branch " + branchId + " not found"));
    }
}
