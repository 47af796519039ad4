package dev.xenon.server.proxy;

import dev.xenon.control.endpoints.EndpointService;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointState;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.ProjectSettings;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationAction;
import dev.xenon.operations.OperationSignal;
import dev.xenon.operations.OperationStatus;
import dev.xenon.operations.OperationStore;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.proxy.ComputeAddress;
import dev.xenon.proxy.ComputeUnavailable;
import dev.xenon.proxy.DirectoryUnavailable;
import dev.xenon.proxy.EndpointDirectory;
import dev.xenon.proxy.EndpointInfo;
import dev.xenon.proxy.SessionActivity;
import dev.xenon.store.Db;
import dev.xenon.store.StoreUnavailable;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/** What the proxy needs from the control plane: endpoints, role verifiers, waking computes, activity. */
public final class ProxyEndpoints implements EndpointDirectory {
    private static final Duration POLL = Duration.ofMillis(10);

    private final Db db;
    private final ProjectStore projects;
    private final BranchStore branches;
    private final EndpointStore endpoints;
    private final RoleStore roles;
    private final OperationStore operations;
    private final EndpointService endpointService;
    private final Provisioner provisioner;
    private final SessionActivity activity;
    private final OperationSignal operationSettled;
    private final Duration wakeTimeout;
    private final Clock clock;

    public ProxyEndpoints(Db db, ProjectStore projects, BranchStore branches, EndpointStore endpoints, RoleStore roles,
                          OperationStore operations, EndpointService endpointService, Provisioner provisioner,
                          SessionActivity activity, OperationSignal operationSettled, Duration wakeTimeout,
                          Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.projects = projects;
        this.branches = branches;
        this.endpoints = endpoints;
        this.roles = roles;
        this.operations = operations;
        this.endpointService = endpointService;
        this.provisioner = provisioner;
        this.activity = activity;
        this.operationSettled = requireNonNull(operationSettled, "operationSettled is null");
        this.wakeTimeout = requireNonNull(wakeTimeout, "wakeTimeout is null");
        this.clock = clock;
    }

    @Override
    public Optional<EndpointInfo> byId(String endpointId) {
        return read(h -> live(h, endpointId).flatMap(e -> info(h, e)));
    }

    @Override
    public Optional<EndpointInfo> byPort(int port) {
        return read(h -> endpoints.findByPort(h, port).flatMap(e -> info(h, e)));
    }

    private Optional<Endpoint> live(Handle h, String endpointId) {
        return endpoints.findAnyState(h, endpointId).flatMap(e -> endpoints.find(h, e.projectId(), e.id(), false));
    }

    private Optional<EndpointInfo> info(Handle h, Endpoint e) {
        Optional<Project> project = projects.findAny(h, e.projectId());
        if (project.isEmpty()) {
            return Optional.empty();
        }
        ProjectSettings.AllowedIps allowed = project.get().settings().allowedIps();
        boolean branchProtected = branches.findAnyState(h, e.branchId()).map(b -> b.isProtected()).orElse(false);
        return Optional.of(new EndpointInfo(e.id(), e.projectId(), e.disabled(),
                AllowlistRules.of(e.projectId(), allowed == null || allowed.ips() == null ? List.of() : allowed.ips()),
                allowed != null && Boolean.TRUE.equals(allowed.protectedBranchesOnly()), branchProtected,
                e.proxyPort() == null ? 0 : e.proxyPort()));
    }

    /**
     * Returns the running compute, or queues a start_compute and waits for it: scale-to-zero's wake-up. Several
     * connections arriving together wait on the same queued start.
     */
    @Override
    public ComputeAddress wake(String endpointId) throws ComputeUnavailable, InterruptedException {
        Instant deadline = clock.instant().plus(wakeTimeout);
        Optional<Operation> start = Optional.empty();
        while (true) {
            long seen = operationSettled.generation();
            Optional<Endpoint> endpoint = read(h -> live(h, endpointId));
            if (endpoint.isEmpty()) {
                throw new ComputeUnavailable("endpoint " + endpointId + " was deleted");
            }
            if (endpoint.get().disabled()) {
                throw new ComputeUnavailable("endpoint " + endpointId + " is disabled");
            }
            Optional<InetSocketAddress> address = provisioner.computeAddress(endpointId);
            // Settled: nothing pending on the compute, and the branch's roles and databases are applied, so a role
            // or password the API just returned already works on the compute.
            String branchId = endpoint.get().branchId();
            boolean settled = read(h -> operations.latestUnfinished(h, endpointId).isEmpty()
                    && !operations.hasUnfinished(h, branchId, OperationAction.APPLY_CONFIG));
            boolean running = address.isPresent() && endpoint.get().currentState() == EndpointState.ACTIVE;
            if (running && settled) {
                return new ComputeAddress(address.get().getHostString(), address.get().getPort());
            }
            if (!running && start.isEmpty()) {
                start = orUnavailable(() -> endpointService.requestStart(endpointId));
                continue;
            }
            if (clock.instant().isAfter(deadline)) {
                throw new ComputeUnavailable("the compute of endpoint " + endpointId + " did not become ready within "
                        + wakeTimeout.toSeconds() + " s");
            }
            if (start.isEmpty()) {
                operationSettled.awaitAfter(seen, POLL);
                continue;
            }
            UUID waitingOn = start.get().id();
            Operation op = read(h -> operations.findById(h, waitingOn)).orElseThrow();
            if (op.status() == OperationStatus.FAILED || op.failuresCount() > 0) {
                // A failed attempt is retried in the background; this client hears of it now rather than waiting.
                throw new ComputeUnavailable("the compute of endpoint " + endpointId + " failed to start: " + op.error());
            }
            if (op.status() == OperationStatus.FINISHED && settled && address.isEmpty()) {
                throw new ComputeUnavailable("the compute of endpoint " + endpointId + " is not reachable");
            }
            operationSettled.awaitAfter(seen, POLL);
        }
    }

    private <R> R read(HandleCallback<R, RuntimeException> callback) {
        return orUnavailable(() -> db.read(callback));
    }

    /** The proxy knows nothing of the store: it hears that the directory cannot answer now. */
    private static <R> R orUnavailable(Supplier<R> call) {
        try {
            return call.get();
        } catch (StoreUnavailable e) {
            throw new DirectoryUnavailable(e.getMessage(), e);
        }
    }

    @Override
    public Optional<String> scramVerifier(String endpointId, String role) {
        return read(h -> live(h, endpointId).flatMap(e -> roles.loginVerifier(h, e.branchId(), role)));
    }

    @Override
    public void sessionOpened(String endpointId) {
        activity.opened(endpointId);
        record(endpointId);
    }

    @Override
    public void sessionClosed(String endpointId, long bytesTransferred) {
        activity.closed(endpointId, bytesTransferred);
        Instant now = clock.instant();
        db.run(h -> {
            endpoints.recordActivity(h, endpointId, now);
            endpoints.addTransfer(h, endpointId, bytesTransferred);
        });
    }

    private void record(String endpointId) {
        Instant now = clock.instant();
        db.run(h -> endpoints.recordActivity(h, endpointId, now));
    }
}
