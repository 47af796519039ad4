package dev.xenon.provisioner.local;

import dev.xenon.provisioner.Provisioner;
import dev.xenon.provisioner.local.compute.Compute;
import dev.xenon.provisioner.local.compute.ComputeFiles;
import dev.xenon.provisioner.local.compute.ComputeLauncher;
import dev.xenon.provisioner.local.compute.Computes;
import dev.xenon.provisioner.local.compute.Leftovers;
import dev.xenon.provisioner.local.compute.ReconcileState;
import dev.xenon.provisioner.local.compute.Reconciler;
import dev.xenon.provisioner.local.compute.Standby;
import dev.xenon.provisioner.local.copy.Clone;
import dev.xenon.provisioner.local.copy.DataCopies;
import dev.xenon.provisioner.local.copy.RecycledFiles;
import dev.xenon.provisioner.local.copy.Recycling;
import dev.xenon.provisioner.local.history.History;
import dev.xenon.provisioner.local.history.Recovery;
import dev.xenon.provisioner.local.history.WalArchive;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.MaintenanceServer;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.Superuser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The embedded data plane: Postgres 14-18 from the bundled binaries, one data directory per branch cloned from
 * a per-version template or from the parent, and computes as supervised postgres processes, each on a
 * loopback port picked free at its start (never derived from the endpoint's port), behind the proxy, with TLS and
 * SCRAM.
 */
public final class LocalProvisioner implements Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(LocalProvisioner.class);
    /** Emptied files kept for reuse: about 25 small clusters' worth; each costs an inode and a name, no data. */
    private static final int RECYCLED_FILES = 30_000;
    /** Files made in advance: enough for two branches (data and first base copy each) in a row. */
    private static final int FILES_READY = 6_000;

    /**
     * @param memoryScale    multiplies the memory Neon gives a compute of the same size (1 = 4 GiB per CU)
     * @param sparesPerMajor how many ready-made root timelines to keep per Postgres major in use (0: none)
     * @param baseWalBytes   take another base copy of a branch once this much WAL was written since the last ...
     * @param baseSizeFactor ... and at least this many times the data's size (0: regardless of size)
     */
    public record Config(Path dataDir, Distributions distributions, Optional<OsUser> user, double memoryScale,
                         int sparesPerMajor, long baseWalBytes, double baseSizeFactor) {
        public Config {
            requireNonNull(dataDir, "dataDir is null");
            requireNonNull(distributions, "distributions is null");
            requireNonNull(user, "user is null");
            if (!(memoryScale > 0 && memoryScale <= 1)) {
                throw new IllegalArgumentException("the compute memory scale must be in (0, 1], got " + memoryScale);
            }
            new History.Policy(baseWalBytes, baseSizeFactor);
        }

        public Config(Path dataDir, Distributions distributions, Optional<OsUser> user, double memoryScale,
                      int sparesPerMajor) {
            this(dataDir, distributions, user, memoryScale, sparesPerMajor, History.Policy.DEFAULT.baseWalBytes(),
                    History.Policy.DEFAULT.baseSizeFactor());
        }
    }

    private final Config config;
    private final DataLayout layout;
    private final Superuser superuser;
    private final ComputeFiles files;
    private final AdminJdbc jdbc;
    private final MaintenanceServer maintenance;
    private final Templates templates;
    private final Timelines timelines;
    private final History history;
    private final Branching branching;
    private final Reconciler reconciler;
    private final Standby standby;
    private final ComputeLauncher launcher;
    private final Computes computes;
    private final BranchLocks locks = new BranchLocks();
    private final Recycling recycling;
    private volatile Thread warmUp;

    public LocalProvisioner(Config config) {
        this.config = requireNonNull(config, "config is null");
        this.layout = new DataLayout(config.dataDir());
        config.user().ifPresent(u -> u.requireTraversable(layout.root()));
        this.recycling = new Recycling(RecycledFiles.open(layout.root(), layout.recycled(), config.user(),
                RECYCLED_FILES, FILES_READY));
        this.computes = new Computes(recycling);
        this.superuser = Superuser.loadOrCreate(layout.adminPassword());
        this.files = ComputeFiles.prepare(layout.computeFiles(), superuser, config.user());
        this.jdbc = new AdminJdbc(superuser);
        this.maintenance = new MaintenanceServer(config.distributions(), config.user(), files.hbaFile());
        this.templates = new Templates(layout, config.distributions(), config.user(), superuser, maintenance, jdbc,
                recycling);
        WalArchive archive = WalArchive.install(layout.computeFiles(), config.user());
        Clone clone = new Clone(config.user(), recycling);
        DataCopies copies = new DataCopies(clone, jdbc, maintenance, config.user());
        this.history = new History(layout, copies, archive,
                new Recovery(config.distributions(), config.user(), files.hbaFile(), jdbc, archive), jdbc,
                new History.Policy(config.baseWalBytes(), config.baseSizeFactor()), recycling);
        this.timelines = new Timelines(layout, templates, copies, maintenance, jdbc, history, recycling,
                config.sparesPerMajor());
        this.branching = new Branching(timelines, history, computes, locks, new HistoryLocks(), maintenance, clone,
                jdbc);
        this.reconciler = new Reconciler(jdbc);
        this.standby = new Standby(config.user(), superuser, jdbc);
        this.launcher = new ComputeLauncher(config.distributions(), config.user(), files, standby,
                config.memoryScale());
        DataLayout.traversableDir(layout.timelines());
        new Leftovers(layout, config.distributions(), config.user(), recycling).stopAll();
    }

    /**
     * Makes the templates of these majors in the background, so the first project of each does not wait for
     * initdb. {@link #close()} waits for it.
     */
    public void prepareInBackground(List<Integer> majors) {
        warmUp = Thread.ofVirtual().name("xenon-templates").start(() -> {
            for (int major : majors) {
                try {
                    templates.get(major);
                    timelines.keepSpares(major);
                } catch (RuntimeException e) {
                    LOG.warn("while preparing the Postgres {} template: {}", major, e.toString());
                }
            }
        });
    }

    @Override
    public BranchPoint createRootTimeline(TimelineSpec root) {
        long started = System.nanoTime();
        BranchPoint point = locks.with(root.branchId(), () -> timelines.createRoot(root));
        LOG.info("root timeline {} of project {} ready in {} ms", root.branchId(), root.projectId(), millis(started));
        return point;
    }

    private static long millis(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    @Override
    public BranchPoint createBranch(TimelineSpec child, TimelineSpec parent, PointInTime at, boolean schemaOnly) {
        return branching.createBranch(child, parent, at, schemaOnly);
    }

    @Override
    public BranchPoint restoreBranch(TimelineSpec target, TimelineSpec source, PointInTime at, String preserveAs,
                                     String restoreId) {
        return branching.restoreBranch(target, source, at, preserveAs, restoreId);
    }

    @Override
    public Optional<HistoryRange> history(String projectId, String branchId) {
        return Optional.of(branching.range(projectId, branchId));
    }

    @Override
    public void maintainHistory(String projectId, String branchId, int pgVersion, Instant keepFrom) {
        branching.maintain(projectId, branchId, pgVersion, keepFrom);
    }

    @Override
    public void deleteTimeline(String projectId, String branchId) {
        locks.run(branchId, () -> branching.deleting(branchId, () -> {
            computes.onBranch(branchId).forEach(computes::stop);
            timelines.delete(projectId, branchId);
        }));
    }

    @Override
    public void applyConfig(TimelineSpec spec) {
        locks.run(spec.branchId(), () -> {
            if (!timelines.exists(spec.projectId(), spec.branchId())) {
                return; // Applied when the timeline is made and first used.
            }
            Optional<Compute> primary = computes.readWriteOn(spec.branchId());
            if (primary.isPresent()) {
                reconcile(primary.get().port(), spec);
                return;
            }
            maintenance.run(spec.pgVersion(), DataLayout.pgdata(timelines.dir(spec.projectId(), spec.branchId())),
                    DataLayout.log(timelines.dir(spec.projectId(), spec.branchId()), "maintenance"),
                    "applying roles and databases", history.archiving(timelines.dir(spec.projectId(), spec.branchId())),
                    port -> {
                        reconcile(port, spec);
                        return null;
                    });
        });
    }

    private void reconcile(int port, TimelineSpec spec) {
        try {
            ReconcileState next = reconciler.apply(port, spec, timelines.state(spec.projectId(), spec.branchId()));
            timelines.saveState(spec.projectId(), spec.branchId(), next);
        } catch (SQLException e) {
            throw new IllegalStateException("while applying roles and databases to branch " + spec.branchId() + ": "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void startCompute(ComputeSpec spec) {
        Optional<Compute> running = computes.get(spec.endpointId());
        if (running.isPresent() && running.get().branchId().equals(spec.branchId())) {
            if (!spec.readOnly()) {
                locks.run(spec.branchId(), () -> reconcile(running.get().port(), spec.timeline()));
            }
            return;
        }
        running.ifPresent(this::stop);
        long started = System.nanoTime();
        if (spec.readOnly()) {
            startReplica(spec);
        } else {
            locks.run(spec.branchId(), () -> startPrimary(spec));
        }
        LOG.info("compute of endpoint {} ({}) started on port {} in {} ms", spec.endpointId(),
                spec.readOnly() ? "read_only" : "read_write", computePort(spec.endpointId()).orElse(0), millis(started));
    }

    private void startPrimary(ComputeSpec spec) {
        Path dir = timelines.dir(spec.projectId(), spec.branchId());
        if (!timelines.exists(spec.projectId(), spec.branchId())) {
            throw new IllegalStateException("branch " + spec.branchId() + " has no data yet");
        }
        // Two postmasters on one data directory would corrupt it; the metadata says this endpoint is the writer.
        computes.readWriteOn(spec.branchId()).ifPresent(other -> {
            LOG.warn("stopping the compute of endpoint {}: endpoint {} is now the writer of branch {}",
                    other.endpointId(), spec.endpointId(), spec.branchId());
            computes.stop(other);
        });
        Compute compute = launcher.start(spec, DataLayout.pgdata(dir), null, DataLayout.log(dir, spec.endpointId()),
                history.archiving(dir), OptionalInt.empty());
        computes.add(compute);
        standby.follow(computes.onBranch(spec.branchId()), compute.port());
        ReconcileState saved = timelines.state(spec.projectId(), spec.branchId());
        if (!saved.pending() && saved.equals(ReconcileState.of(spec.timeline()))) {
            // Every change made through the API is applied already (apply_config runs on a stopped branch too):
            // the start's reconcile only repairs what SQL changed behind Xenon's back, so it need not hold up the
            // first connection (a cold start waits for this operation).
            Thread.ofVirtual().name("reconcile-" + spec.endpointId()).start(() -> reconcileAfterStart(compute, spec));
            return;
        }
        try {
            reconcile(compute.port(), spec.timeline());
        } catch (RuntimeException e) {
            computes.stop(compute);
            throw e;
        }
    }

    private void reconcileAfterStart(Compute compute, ComputeSpec spec) {
        try {
            locks.run(spec.branchId(), () -> {
                if (computes.get(spec.endpointId()).filter(c -> c == compute).isPresent()) {
                    reconcile(compute.port(), spec.timeline());
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("while reconciling roles and databases after starting the compute of endpoint {}: {}",
                    spec.endpointId(), e.toString());
        }
    }

    private void startReplica(ComputeSpec spec) {
        Path dir = timelines.dir(spec.projectId(), spec.branchId());
        Path copy = DataLayout.replica(dir, spec.endpointId());
        OptionalInt writerPort = locks.with(spec.branchId(), () -> {
            if (Files.exists(copy)) {
                recycling.deleteTree(copy);
            }
            OptionalInt writer = computes.writerPort(spec.branchId());
            if (writer.isEmpty() && timelines.state(spec.projectId(), spec.branchId()).pending()) {
                // No writer will apply the roles before users read this copy: apply them to the branch first.
                applyConfig(spec.timeline());
            }
            timelines.copyForReplica(spec.projectId(), spec.branchId(), spec.pgVersion(), copy, writer);
            return writer;
        });
        Compute compute = launcher.start(spec, copy, copy, DataLayout.log(dir, spec.endpointId()), Map.of(),
                writerPort);
        computes.add(compute);
        // A writer that started while this replica was being launched did not see it: point it there now.
        locks.run(spec.branchId(), () -> computes.writerPort(spec.branchId())
                .ifPresent(port -> standby.follow(List.of(compute), port)));
    }

    @Override
    public void stopCompute(String endpointId) {
        computes.get(endpointId).ifPresent(this::stop);
    }

    private void stop(Compute compute) {
        if (compute.readOnly()) {
            computes.stop(compute);
        } else {
            locks.run(compute.branchId(), () -> computes.stop(compute));
        }
    }

    @Override
    public void onComputeExit(Consumer<String> listener) {
        computes.onExit(listener);
    }

    /** Stops every compute, in parallel: a fast shutdown each, so the whole takes about as long as one. */
    @Override
    public void close() {
        Thread preparing = warmUp;
        if (preparing != null) {
            try {
                preparing.join(Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        timelines.close();
        recycling.close();
        try (ExecutorService stopper = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Compute compute : computes.all()) {
                stopper.submit(() -> {
                    try {
                        computes.stop(compute);
                    } catch (RuntimeException e) {
                        LOG.warn("while stopping the compute of endpoint {}: {}", compute.endpointId(), e.toString());
                    }
                });
            }
        }
    }

    @Override
    public Optional<java.net.InetSocketAddress> computeAddress(String endpointId) {
        return computes.get(endpointId).filter(c -> c.server().isAlive())
                .map(c -> new java.net.InetSocketAddress("127.0.0.1", c.port()));
    }

    /** The port of the endpoint's running compute, if any: for tests and diagnostics. */
    public OptionalInt computePort(String endpointId) {
        return computes.get(endpointId).map(c -> OptionalInt.of(c.port())).orElse(OptionalInt.empty());
    }

    /** The postmaster pid of the endpoint's running compute, if any: for tests and diagnostics. */
    public Optional<Long> computePid(String endpointId) {
        return computes.get(endpointId).map(c -> c.server().pid());
    }

    public Superuser superuser() {
        return superuser;
    }

    public DataLayout layout() {
        return layout;
    }
}
