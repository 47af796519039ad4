package dev.xenon.control.endpoints;

import dev.xenon.control.Access;
import dev.xenon.control.Check;
import dev.xenon.control.ComputeLimits;
import dev.xenon.control.DomainException;
import dev.xenon.control.Ids;
import dev.xenon.control.Regions;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.DefaultEndpointSettings;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointState;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.EndpointType;
import dev.xenon.control.model.PoolerMode;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationAction;
import dev.xenon.operations.OperationStore;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Compute endpoints: one read_write per branch, any number of read_only; start, suspend, restart. */
public final class EndpointService {
    public record Result(Endpoint endpoint, List<Operation> operations) {}

    private final Db db;
    private final ProjectStore projects;
    private final BranchStore branches;
    private final EndpointStore endpoints;
    private final OperationStore operations;
    private final Regions regions;
    private final Ids ids;
    private final Clock clock;
    private final EndpointPorts ports;
    private final EndpointLimits limits;

    public EndpointService(Db db, ProjectStore projects, BranchStore branches, EndpointStore endpoints,
                           OperationStore operations, Regions regions, Ids ids, Clock clock, EndpointPorts ports,
                           EndpointLimits limits) {
        this.db = requireNonNull(db, "db is null");
        this.projects = projects;
        this.branches = branches;
        this.endpoints = endpoints;
        this.operations = operations;
        this.regions = regions;
        this.ids = ids;
        this.clock = clock;
        this.ports = requireNonNull(ports, "ports is null");
        this.limits = requireNonNull(limits, "limits is null");
    }

    public Result create(Access access, String projectId, EndpointCreate spec) {
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            String branchId = spec.branchId();
            if (branchId == null) {
                throw DomainException.invalid("endpoint.branch_id is required");
            }
            Branch branch = branches.find(h, projectId, branchId, false)
                    .orElseThrow(() -> DomainException.notFound("branch " + branchId + " not found"));
            return provision(h, project, branch, spec, clock.instant());
        });
    }

    /** Inserts an endpoint and its start_compute operation inside the caller's transaction. */
    public Result provision(Handle h, Project project, Branch branch, EndpointCreate spec, Instant now) {
        EndpointType type = spec.type() == null ? EndpointType.READ_WRITE : spec.type();
        if (spec.regionId() != null && !spec.regionId().equals(project.regionId())) {
            regions.resolve("endpoint.region_id", spec.regionId());
            throw DomainException.invalid("endpoint.region_id '" + spec.regionId()
                    + "' must match the project's region '" + project.regionId() + "'");
        }
        if (type == EndpointType.READ_WRITE && endpoints.readWriteOf(h, branch.id()).isPresent()) {
            throw DomainException.conflict("branch " + branch.id() + " already has a read_write endpoint; "
                    + "a branch can have only one");
        }
        limits.checkBranch(branch.id(), endpoints.countByBranch(h, branch.id()));
        limits.checkProject(project.id(), endpoints.countByProject(h, project.id()));
        DefaultEndpointSettings defaults = project.defaultEndpointSettings().withDefaults();
        double min = spec.autoscalingLimitMinCu() != null ? spec.autoscalingLimitMinCu()
                : Math.min(defaults.autoscalingLimitMinCu(), maxOr(spec, defaults.autoscalingLimitMaxCu()));
        double max = spec.autoscalingLimitMaxCu() != null ? spec.autoscalingLimitMaxCu()
                : Math.max(min, defaults.autoscalingLimitMaxCu());
        ComputeLimits.check("endpoint", min, max, null);
        Map<String, String> pgSettings = spec.pgSettings() != null ? spec.pgSettings()
                : defaults.pgSettings() == null ? Map.of() : defaults.pgSettings();
        Check.pgSettings("endpoint.settings.pg_settings", project.pgVersion(), pgSettings);
        boolean disabled = Boolean.TRUE.equals(spec.disabled());
        Endpoint endpoint = Endpoint.builder().id(ids.endpoint()).projectId(project.id()).branchId(branch.id())
                .type(type).regionId(project.regionId()).autoscalingLimitMinCu(min).autoscalingLimitMaxCu(max)
                .provisioner(spec.provisioner() != null ? spec.provisioner() : project.provisioner())
                .suspendTimeoutSeconds(spec.suspendTimeoutSeconds() != null ? spec.suspendTimeoutSeconds()
                        : defaults.suspendTimeoutSeconds())
                .disabled(disabled).poolerEnabled(Boolean.TRUE.equals(spec.poolerEnabled()))
                .poolerMode(spec.poolerMode() == null ? PoolerMode.TRANSACTION : spec.poolerMode())
                .pgSettings(pgSettings).currentState(EndpointState.INIT)
                .pendingState(disabled ? null : EndpointState.ACTIVE).proxyPort(ports.allocate(h))
                .creationSource("console").createdAt(now).updatedAt(now).build();
        endpoints.insert(h, endpoint);
        List<Operation> ops = new ArrayList<>();
        if (!disabled) {
            ops.add(operations.enqueue(h, project.id(), branch.id(), endpoint.id(), OperationAction.START_COMPUTE,
                    List.of(branch.id(), endpoint.id()), now));
        }
        return new Result(endpoint, ops);
    }

    private static double maxOr(EndpointCreate spec, double fallback) {
        return spec.autoscalingLimitMaxCu() != null ? spec.autoscalingLimitMaxCu() : fallback;
    }

    public List<Endpoint> list(Access access, String projectId) {
        return db.read(h -> {
            project(h, access, projectId, false);
            return endpoints.listByProject(h, projectId);
        });
    }

    public Endpoint get(Access access, String projectId, String endpointId) {
        return db.read(h -> {
            project(h, access, projectId, false);
            return endpoint(h, projectId, endpointId, false);
        });
    }

    public Result update(Access access, String projectId, String endpointId, EndpointUpdate patch) {
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            Endpoint current = endpoint(h, projectId, endpointId, true);
            Instant now = clock.instant();
            String branchId = current.branchId();
            if (patch.branchId() != null && !patch.branchId().equals(current.branchId())) {
                Branch target = branches.find(h, projectId, patch.branchId(), false)
                        .orElseThrow(() -> DomainException.notFound("branch " + patch.branchId() + " not found"));
                if (current.type() == EndpointType.READ_WRITE && endpoints.readWriteOf(h, target.id()).isPresent()) {
                    throw DomainException.conflict("branch " + target.id() + " already has a read_write endpoint");
                }
                limits.checkBranch(target.id(), endpoints.countByBranch(h, target.id()));
                branchId = target.id();
            }
            double min = patch.autoscalingLimitMinCu() != null ? patch.autoscalingLimitMinCu()
                    : current.autoscalingLimitMinCu();
            double max = patch.autoscalingLimitMaxCu() != null ? patch.autoscalingLimitMaxCu()
                    : current.autoscalingLimitMaxCu();
            ComputeLimits.check("endpoint", min, max, null);
            Map<String, String> pgSettings = current.pgSettings();
            if (patch.pgSettings() != null) {
                pgSettings = patch.pgSettings();
                Check.pgSettings("endpoint.settings.pg_settings", project.pgVersion(), pgSettings);
            }
            Endpoint.Builder changed = current.toBuilder().branchId(branchId).autoscalingLimitMinCu(min)
                    .autoscalingLimitMaxCu(max).pgSettings(pgSettings).updatedAt(now);
            if (patch.suspendTimeoutSeconds() != null) {
                changed.suspendTimeoutSeconds(patch.suspendTimeoutSeconds());
            }
            if (patch.disabled() != null) {
                changed.disabled(patch.disabled());
            }
            if (patch.provisioner() != null) {
                changed.provisioner(patch.provisioner());
            }
            if (patch.poolerEnabled() != null) {
                changed.poolerEnabled(patch.poolerEnabled());
            }
            if (patch.poolerMode() != null) {
                changed.poolerMode(patch.poolerMode());
            }
            Endpoint updated = changed.build();
            endpoints.update(h, updated);
            List<Operation> ops = new ArrayList<>();
            boolean running = current.currentState() != EndpointState.IDLE || current.pendingState() != null;
            boolean computeChanged = !branchId.equals(current.branchId()) || min != current.autoscalingLimitMinCu()
                    || max != current.autoscalingLimitMaxCu() || !pgSettings.equals(current.pgSettings());
            if (running && updated.disabled()) {
                ops.add(suspend(h, project, updated, now));
            } else if (running && computeChanged) {
                ops.add(suspend(h, project, updated, now));
                ops.add(start(h, project, updated, now));
            }
            return new Result(endpoint(h, projectId, endpointId, false), ops);
        });
    }

    public Result delete(Access access, String projectId, String endpointId) {
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            Endpoint current = endpoint(h, projectId, endpointId, true);
            Instant now = clock.instant();
            List<Operation> ops = new ArrayList<>();
            endpoints.markDeleted(h, current.id(), now);
            if (needsStop(h, current)) {
                ops.add(suspend(h, project, current, now));
            }
            return new Result(current, ops);
        });
    }

    /** Tombstones every endpoint of a branch and stops those that may run, inside the caller's transaction. */
    public List<Operation> retireAll(Handle h, Project project, String branchId, Instant now) {
        List<Operation> ops = new ArrayList<>();
        for (Endpoint e : endpoints.listByBranch(h, branchId)) {
            endpoints.markDeleted(h, e.id(), now);
            if (needsStop(h, e)) {
                ops.add(suspend(h, project, e, now));
            }
        }
        return ops;
    }

    /** What {@link #suspendForRestore} queued, and which endpoints to start again once the data is replaced. */
    public record Suspended(List<Operation> operations, List<Endpoint> toRestart) {}

    /**
     * Suspends every compute of a branch that may run, inside the caller's transaction, ahead of a restore of its
     * data; remembers those meant to be running so {@link #startAgain} brings them back on the new data.
     */
    public Suspended suspendForRestore(Handle h, Project project, String branchId, Instant now) {
        List<Operation> ops = new ArrayList<>();
        List<Endpoint> restart = new ArrayList<>();
        for (Endpoint e : endpoints.listByBranch(h, branchId)) {
            boolean wanted = e.pendingState() == EndpointState.ACTIVE
                    || e.currentState() == EndpointState.ACTIVE && e.pendingState() == null;
            if (needsStop(h, e)) {
                ops.add(suspend(h, project, e, now));
            }
            if (wanted && !e.disabled()) {
                restart.add(e);
            }
        }
        return new Suspended(ops, restart);
    }

    /** Queues a start of each endpoint, inside the caller's transaction. */
    public List<Operation> startAgain(Handle h, Project project, List<Endpoint> toStart, Instant now) {
        return toStart.stream().map(e -> start(h, project, e, now)).toList();
    }

    private boolean needsStop(Handle h, Endpoint e) {
        return e.currentState() != EndpointState.IDLE || operations.hasUnfinished(h, e.id());
    }

    /**
     * Queues a start for every endpoint that is active in the metadata and has nothing queued: after a restart
     * none of their computes runs. Returns how many were queued.
     */
    /**
     * Makes sure a start of the endpoint's compute is queued, for a client connecting through the proxy: nothing is
     * queued when a start is already the endpoint's latest pending operation. Returns the start operation to wait
     * on, or empty when the endpoint is gone or disabled.
     */
    public Optional<Operation> requestStart(String endpointId) {
        return db.write(h -> {
            Optional<Endpoint> endpoint = endpoints.findAnyState(h, endpointId)
                    .flatMap(e -> endpoints.find(h, e.projectId(), e.id(), true));
            if (endpoint.isEmpty() || endpoint.get().disabled()) {
                return Optional.<Operation>empty();
            }
            Endpoint e = endpoint.get();
            Optional<Operation> latest = operations.latestUnfinished(h, e.id());
            if (latest.isPresent() && latest.get().action() == OperationAction.START_COMPUTE) {
                return latest;
            }
            Project project = projects.findAny(h, e.projectId()).orElseThrow();
            return Optional.of(start(h, project, e, clock.instant()));
        });
    }

    /** Suspends an endpoint found idle, unless something else is already happening to it. */
    public boolean suspendIdle(String endpointId) {
        return db.write(h -> {
            Optional<Endpoint> endpoint = endpoints.findAnyState(h, endpointId)
                    .flatMap(e -> endpoints.find(h, e.projectId(), e.id(), true));
            if (endpoint.isEmpty() || endpoint.get().currentState() != EndpointState.ACTIVE
                    || operations.hasUnfinished(h, endpointId)) {
                return false;
            }
            Project project = projects.findAny(h, endpoint.get().projectId()).orElseThrow();
            suspend(h, project, endpoint.get(), clock.instant());
            return true;
        });
    }

    public int resumeActive() {
        return db.write(h -> {
            int count = 0;
            Instant now = clock.instant();
            for (Endpoint e : endpoints.listActive(h)) {
                Project project = projects.findAny(h, e.projectId()).orElse(null);
                if (project != null && !operations.hasUnfinished(h, e.id())) {
                    start(h, project, e, now);
                    count++;
                }
            }
            return count;
        });
    }

    public Result start(Access access, String projectId, String endpointId) {
        return transition(access, projectId, endpointId, (h, project, e, now) -> {
            if (e.disabled()) {
                throw DomainException.conflict("endpoint " + e.id() + " is disabled; enable it before starting it");
            }
            return List.of(start(h, project, e, now));
        });
    }

    public Result suspend(Access access, String projectId, String endpointId) {
        return transition(access, projectId, endpointId, (h, project, e, now) -> List.of(suspend(h, project, e, now)));
    }

    public Result restart(Access access, String projectId, String endpointId) {
        return transition(access, projectId, endpointId, (h, project, e, now) -> {
            if (e.disabled()) {
                throw DomainException.conflict("endpoint " + e.id() + " is disabled; enable it before restarting it");
            }
            return List.of(suspend(h, project, e, now), start(h, project, e, now));
        });
    }

    private interface Transition {
        List<Operation> apply(Handle h, Project project, Endpoint endpoint, Instant now);
    }

    private Result transition(Access access, String projectId, String endpointId, Transition transition) {
        return db.write(h -> {
            Project project = project(h, access, projectId, true);
            Endpoint current = endpoint(h, projectId, endpointId, true);
            if (operations.hasUnfinished(h, current.id())) {
                throw new DomainException.Locked("endpoint " + current.id()
                        + " already has running operations; retry when they finish");
            }
            List<Operation> ops = transition.apply(h, project, current, clock.instant());
            return new Result(endpoint(h, projectId, endpointId, false), ops);
        });
    }

    private Operation start(Handle h, Project project, Endpoint e, Instant now) {
        endpoints.setPending(h, e.id(), EndpointState.ACTIVE, now);
        return operations.enqueue(h, project.id(), e.branchId(), e.id(), OperationAction.START_COMPUTE,
                List.of(e.branchId(), e.id()), now);
    }

    private Operation suspend(Handle h, Project project, Endpoint e, Instant now) {
        endpoints.setPending(h, e.id(), EndpointState.IDLE, now);
        return operations.enqueue(h, project.id(), e.branchId(), e.id(), OperationAction.SUSPEND_COMPUTE,
                List.of(e.branchId(), e.id()), now);
    }

    private Project project(Handle h, Access access, String projectId, boolean forUpdate) {
        return projects.find(h, access, projectId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("project " + projectId + " not found"));
    }

    private Endpoint endpoint(Handle h, String projectId, String endpointId, boolean forUpdate) {
        return endpoints.find(h, projectId, endpointId, forUpdate)
                .orElseThrow(() -> DomainException.notFound("endpoint " + endpointId + " not found"));
    }
}
