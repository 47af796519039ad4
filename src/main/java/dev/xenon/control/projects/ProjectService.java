package dev.xenon.control.projects;

import dev.xenon.control.Access;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.Ids;
import dev.xenon.control.Regions;
import dev.xenon.control.access.Authorization;
import dev.xenon.control.branches.BranchService;
import dev.xenon.control.databases.DatabaseService;
import dev.xenon.control.endpoints.EndpointCreate;
import dev.xenon.control.endpoints.EndpointService;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.ComputeProvisioner;
import dev.xenon.control.model.Database;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.InitSource;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectSettings;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.model.Role;
import dev.xenon.control.model.RoleStore;
import dev.xenon.control.roles.RoleService;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationAction;
import dev.xenon.operations.OperationStore;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** Projects: creation of the whole starting set (branch, endpoint, role, database), settings, deletion. */
public final class ProjectService {
    private final Db db;
    private final ProjectStore projects;
    private final BranchStore branches;
    private final DatabaseStore databases;
    private final EndpointStore endpoints;
    private final RoleStore roles;
    private final OperationStore operations;
    private final Authorization authorization;
    private final EndpointService endpointService;
    private final BranchService branchService;
    private final RoleService roleService;
    private final Regions regions;
    private final Ids ids;
    private final Clock clock;

    public ProjectService(Db db, ProjectStore projects, BranchStore branches,
                          DatabaseStore databases, EndpointStore endpoints, RoleStore roles,
                          OperationStore operations, Authorization authorization,
                          EndpointService endpointService, BranchService branchService, RoleService roleService,
                          Regions regions, Ids ids, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.projects = projects;
        this.branches = branches;
        this.databases = databases;
        this.endpoints = endpoints;
        this.roles = roles;
        this.operations = operations;
        this.authorization = authorization;
        this.endpointService = endpointService;
        this.branchService = branchService;
        this.roleService = roleService;
        this.regions = regions;
        this.ids = ids;
        this.clock = clock;
    }

    public ProjectCreated create(Access access, ProjectCreate spec) {
        Regions.Region region = regions.resolve("project.region_id", spec.regionId());
        ProjectCreate.DefaultBranch branchSpec = spec.branch() == null
                ? new ProjectCreate.DefaultBranch(null, null, null) : spec.branch();
        String databaseName = branchSpec.databaseName() == null ? "neondb" : branchSpec.databaseName();
        String roleName = branchSpec.roleName() == null ? databaseName + "_owner" : branchSpec.roleName();
        DatabaseService.checkName("project.branch.database_name", databaseName);
        RoleService.checkName("project.branch.role_name", roleName);
        DefaultEndpointSettings defaults = (spec.defaultEndpointSettings() == null
                ? DefaultEndpointSettings.empty() : spec.defaultEndpointSettings()).withDefaults();
        ProjectSettings settings = (spec.settings() == null ? ProjectSettings.empty() : spec.settings()).withDefaults();
        int pgVersion = spec.pgVersion() == null ? 17 : spec.pgVersion();
        Check.pgSettings("project.default_endpoint_settings.pg_settings", pgVersion, defaults.pgSettings());

        return db.write(h -> {
            String orgId = authorization.placeNewProject(h, access, spec.orgId());
            Instant now = clock.instant();
            String id = ids.project();
            Project project = Project.builder().id(id).orgId(orgId).name(spec.name() == null ? id : spec.name())
                    .regionId(region.regionId()).pgVersion(pgVersion)
                    .provisioner(spec.provisioner() == null ? ComputeProvisioner.K8S_NEONVM : spec.provisioner())
                    .storePasswords(spec.storePasswords() == null || spec.storePasswords())
                    .historyRetentionSeconds(spec.historyRetentionSeconds() == null ? 86400
                            : spec.historyRetentionSeconds())
                    .defaultEndpointSettings(defaults).settings(settings).creationSource("console")
                    .createdAt(now).updatedAt(now).build();
            projects.insert(h, project);
            String branchId = ids.branch();
            Branch branch = Branch.starting(branchId, id, branchSpec.name() == null ? "main" : branchSpec.name(),
                    access.userId(), now).isDefault(true).initSource(InitSource.PARENT_DATA).build();
            branches.insert(h, branch);
            String password = ids.rolePassword();
            Role role = roleService.newRole(h, branchId, roleName, password, true, false, now);
            if (!project.storePasswords()) {
                // The password is still handed out once below; only the verifier is kept.
                h.createUpdate("update roles set password = null where branch_id = :b and name = :n")
                        .bind("b", branchId).bind("n", roleName).execute();
            }
            Database database = databases.insert(h, branchId, databaseName, roleName, now);
            List<Operation> ops = new ArrayList<>();
            ops.add(operations.enqueue(h, id, branchId, null, OperationAction.CREATE_TIMELINE, List.of(branchId), now));
            EndpointService.Result endpoint = endpointService.provision(h, project, branch,
                    EndpointCreate.readWrite(branchId), now);
            ops.addAll(endpoint.operations());
            Role shown = new Role(role.branchId(), role.name(), password, role.scramVerifier(), role.isProtected(),
                    role.noLogin(), role.createdAt(), role.updatedAt());
            return new ProjectCreated(project, branch, List.of(endpoint.endpoint()), List.of(shown),
                    List.of(database), ops);
        });
    }

    public Project get(Access access, String projectId) {
        return db.read(h -> project(h, access, projectId, false));
    }

    public List<Project> list(Access access, String orgId, String search, String cursor, int limit) {
        return db.read(h -> projects.list(h, access, orgId, search, cursor, limit));
    }

    /** Applies a partial update; the merged settings are checked as a whole. */
    public Project update(Access access, String projectId, ProjectUpdate patch) {
        return db.write(h -> {
            Project current = project(h, access, projectId, true);
            ProjectSettings settings = patch.settings() == null ? current.settings()
                    : patch.settings().apply(current.settings());
            if (Boolean.TRUE.equals(current.settings().enableLogicalReplication())
                    && !Boolean.TRUE.equals(settings.enableLogicalReplication())) {
                throw DomainException.invalid("project.settings.enable_logical_replication cannot be turned off once on");
            }
            DefaultEndpointSettings defaults = (patch.defaultEndpointSettings() == null
                    ? current.defaultEndpointSettings()
                    : patch.defaultEndpointSettings().apply(current.defaultEndpointSettings())).withDefaults();
            if (patch.defaultEndpointSettings() != null) {
                Check.pgSettings("project.default_endpoint_settings.pg_settings", current.pgVersion(),
                        defaults.pgSettings());
            }
            Project updated = current.toBuilder()
                    .name(patch.name() == null ? current.name() : patch.name())
                    .historyRetentionSeconds(patch.historyRetentionSeconds() == null
                            ? current.historyRetentionSeconds() : patch.historyRetentionSeconds())
                    .defaultEndpointSettings(defaults).settings(settings).updatedAt(clock.instant()).build();
            projects.update(h, updated);
            return updated;
        });
    }

    public Project delete(Access access, String projectId) {
        authorization.requireCanDeleteProject(access);
        return db.write(h -> {
            Project current = project(h, access, projectId, true);
            Instant now = clock.instant();
            // Children first, so each timeline's removal never waits on a descendant.
            List<Branch> all = new ArrayList<>(branches.list(h, projectId));
            all.sort((a, b) -> Integer.compare(depth(all, b), depth(all, a)));
            for (Branch branch : all) {
                branchService.retire(h, current, branch, now);
            }
            projects.markDeleted(h, projectId, now);
            return current;
        });
    }

    private static int depth(List<Branch> all, Branch branch) {
        int depth = 0;
        String parent = branch.parentId();
        while (parent != null && depth < all.size()) {
            String current = parent;
            parent = all.stream().filter(b -> b.id().equals(current)).findFirst().map(Branch::parentId)
                    .orElse(null);
            depth++;
        }
        return depth;
    }

    /** The endpoint and role a connection URI is built from, checked against the branch. */
    public record ConnectionTarget(Endpoint endpoint, String role, String password, String database) {}

    public ConnectionTarget connectionTarget(Access access, String projectId, String branchId, String endpointId,
                                             String databaseName, String roleName) {
        if (databaseName == null || databaseName.isEmpty()) {
            throw DomainException.invalid("database_name is required");
        }
        if (roleName == null || roleName.isEmpty()) {
            throw DomainException.invalid("role_name is required");
        }
        return db.read(h -> {
            Project project = project(h, access, projectId, false);
            Branch branch = branchId == null
                    ? branches.findDefault(h, projectId).orElseThrow(() -> DomainException.notFound("no default branch"))
                    : branches.find(h, projectId, branchId, false)
                            .orElseThrow(() -> DomainException.notFound("branch " + branchId + " not found"));
            Endpoint endpoint = endpointId == null
                    ? endpoints.readWriteOf(h, branch.id()).orElseThrow(() -> DomainException.notFound(
                            "branch " + branch.id() + " has no read_write endpoint; pass endpoint_id"))
                    : endpoints.find(h, projectId, endpointId, false)
                            .filter(e -> e.branchId().equals(branch.id()))
                            .orElseThrow(() -> DomainException.notFound("endpoint " + endpointId
                                    + " not found on branch " + branch.id()));
            if (databases.find(h, branch.id(), databaseName).isEmpty()) {
                throw DomainException.notFound("database '" + databaseName + "' not found in branch " + branch.id());
            }
            Role role = roles.find(h, branch.id(), roleName).orElseThrow(() -> DomainException.notFound(
                    "role '" + roleName + "' not found in branch " + branch.id()));
            if (role.password() == null) {
                throw new DomainException.PreconditionFailed("the password of role '" + roleName + "' is not stored "
                        + "(store_passwords is false or the role cannot log in); reset it to get a new one");
            }
            return new ConnectionTarget(endpoint, roleName, role.password(), databaseName);
        });
    }

    private Project project(Handle h, Access access, String projectId, boolean forUpdate) {
        return projects.find(h, access, projectId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("project " + projectId + " not found"));
    }
}
