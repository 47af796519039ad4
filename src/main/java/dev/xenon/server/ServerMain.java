package dev.xenon.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.ApiServer;
import dev.xenon.api.ErrorMapper;
import dev.xenon.api.Params;
import dev.xenon.api.RateLimiter;
import dev.xenon.api.representations.Renderer;
import dev.xenon.api.apikeys.ApiKeyRoutes;
import dev.xenon.api.branches.BranchRoutes;
import dev.xenon.api.branches.DatabaseRoutes;
import dev.xenon.api.branches.RoleRoutes;
import dev.xenon.api.endpoints.EndpointRoutes;
import dev.xenon.api.json.Json;
import dev.xenon.api.operations.OperationRoutes;
import dev.xenon.api.orgs.OrgRoutes;
import dev.xenon.api.projects.ProjectRoutes;
import dev.xenon.api.users.UserRoutes;
import dev.xenon.control.access.Authorization;
import dev.xenon.control.access.BranchScope;
import dev.xenon.control.Ids;
import dev.xenon.control.Regions;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.model.ApiKeyStore;
import dev.xenon.control.branches.BranchService;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.branches.HistoryRetention;
import dev.xenon.control.databases.DatabaseService;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.endpoints.EndpointAddress;
import dev.xenon.control.endpoints.EndpointLimits;
import dev.xenon.control.endpoints.EndpointPorts;
import dev.xenon.control.endpoints.EndpointService;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.server.proxy.IdleSuspension;
import dev.xenon.server.proxy.ProxyEndpoints;
import dev.xenon.server.proxy.ProxyPorts;
import dev.xenon.proxy.ProxyConfig;
import dev.xenon.proxy.ProxyServer;
import dev.xenon.proxy.SessionActivity;
import dev.xenon.proxy.tls.LocalAuthority;
import dev.xenon.control.projects.ProjectService;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.roles.RoleService;
import dev.xenon.control.model.RoleStore;
import dev.xenon.control.users.Bootstrap;
import dev.xenon.control.orgs.OrgService;
import dev.xenon.control.model.OrgStore;
import dev.xenon.control.users.UserService;
import dev.xenon.control.model.UserStore;
import dev.xenon.control.operations.OperationService;
import dev.xenon.operations.OperationEngine;
import dev.xenon.operations.OperationStore;
import dev.xenon.steps.Steps;
import dev.xenon.steps.UndoRefused;
import dev.xenon.provisioner.MetadataOnlyProvisioner;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.provisioner.local.postgres.Distribution;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.LocalProvisioner;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.SecretFile;
import dev.xenon.store.CommitSignal;
import dev.xenon.store.Db;
import dev.xenon.throttle.FailureThrottle;
import dev.xenon.store.EmbeddedMetaStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** The one place that builds the object graph and starts or stops it as a whole. */
public final class ServerMain implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);
    /** Ready-made root timelines kept per Postgres major in use: project creation then skips the copy. */
    private static final int SPARE_TIMELINES = 2;

    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final ApiServer api;
    private Provisioner provisioner;
    private Optional<String> generatedApiKey = Optional.empty();
    private Optional<Path> newCertificateAuthority = Optional.empty();
    private int httpPort;

    private ServerMain(ServerConfig config) throws IOException {
        try {
            api = boot(config);
        } catch (RuntimeException | IOException e) {
            close();
            throw e;
        }
    }

    private ApiServer boot(ServerConfig config) throws IOException {
        // Before anything else touches the directory: a second server must leave the first one's state alone.
        own(DataDirLock.acquire(config.dataDir()));
        Clock clock = Clock.systemUTC();
        ObjectMapper json = Json.mapper();
        Optional<OsUser> osUser = OsUser.resolveWhenRoot(config.osUser().orElse(null));

        Db db = openStore(config, osUser);
        own(db);

        Ids ids = new Ids();
        Regions regions = new Regions(config.defaultRegion());
        // Raised by the stores inside a transaction, heard once it commits; subscribed to as their listeners exist.
        CommitSignal operationsQueued = new CommitSignal();
        CommitSignal endpointPortsChanged = new CommitSignal();
        ProjectStore projectStore = new ProjectStore(json);
        BranchStore branchStore = new BranchStore(json);
        EndpointStore endpointStore = new EndpointStore(json, endpointPortsChanged);
        RoleStore roleStore = PasswordKey.openRoleStore(config.security(), config.dataDir(), db);
        DatabaseStore databaseStore = new DatabaseStore();
        OperationStore operationStore = new OperationStore(operationsQueued);
        ApiKeyStore keyStore = new ApiKeyStore();
        UserStore userStore = new UserStore();
        OrgStore orgStore = new OrgStore();
        Authorization authorization = new Authorization(orgStore);

        Provisioner provisioner = provisioner(config, osUser);
        this.provisioner = provisioner;
        own(provisioner);
        // A compute that dies on its own leaves its endpoint idle; the next start (or connection) brings it back.
        provisioner.onComputeExit(endpointId -> quietly("marking the endpoint of a stopped compute idle",
                () -> db.run(h -> endpointStore.markIdle(h, endpointId, clock.instant()))));
        Steps steps = new Steps(db, provisioner, projectStore, branchStore, endpointStore, roleStore, databaseStore,
                operationStore, clock);
        OperationEngine engine = new OperationEngine(db, operationStore,
                new UndoRefused(db, roleStore, databaseStore, steps), config.operationWorkers(),
                OperationEngine.RetryPolicy.DEFAULT);
        // Queued operations start as soon as they are committed, not at the next poll.
        operationsQueued.subscribe(engine::wake);

        EndpointService endpoints = new EndpointService(db, projectStore, branchStore, endpointStore, operationStore,
                regions, ids, clock, new EndpointPorts(endpointStore, config.endpointPortFirst(),
                        config.endpointPortLast(), EndpointPorts.bindingOn(InetAddress.getByName(config.bindAddress()))),
                EndpointLimits.DEFAULT);
        BranchService branches = new BranchService(db, projectStore, branchStore, endpointStore, roleStore,
                databaseStore, operationStore, endpoints, ids, clock, provisioner);
        BranchScope scope = new BranchScope(projectStore, branchStore, endpointStore, operationStore);
        RoleService roles = new RoleService(db, scope, roleStore, databaseStore, ids, clock);
        DatabaseService databases = new DatabaseService(db, scope, databaseStore, roleStore, clock);
        ProjectService projects = new ProjectService(db, projectStore, branchStore, databaseStore,
                endpointStore, roleStore, operationStore, authorization, endpoints, branches, roles, regions, ids, clock);
        ApiKeyService keys = new ApiKeyService(db, keyStore, authorization, projectStore, ids, clock);
        OperationService operations = new OperationService(db, projectStore, operationStore);

        generatedApiKey = Optional.ofNullable(new Bootstrap(db, keyStore, ids, clock).run(config.bootstrapApiKey())
                .orElse(null));
        generatedApiKey.ifPresent(token -> SecretFile.write(config.dataDir().resolve("api-key"), token,
                "bootstrap API key"));

        engine.start(config.databaseUrl().isEmpty());
        own(engine);
        if (config.dataPlane() == ServerConfig.DataPlane.LOCAL) {
            // Stopping the server stopped every compute; bring back those the metadata says are active.
            int resumed = endpoints.resumeActive();
            if (resumed > 0) {
                log.info("starting {} compute(s) that were active when the server last stopped", resumed);
            }
        }

        SessionActivity activity = new SessionActivity(clock);
        ProxyConfig proxyConfig = ProxyConfig.defaults(config.proxyPort(), config.dataDir())
                .withListenAddress(InetAddress.getByName(config.bindAddress()))
                // Every host a connection URI can name must be in the proxy's certificate (EndpointAddress).
                .withAdvertisedHosts(List.of(config.advertisedAddress()))
                .withRequireTls(!config.security().allowPlaintext())
                .withLoginFailures(config.security().proxyLogins());
        if (config.proxyDomain().isPresent()) {
            proxyConfig = proxyConfig.withDomain(config.proxyDomain().get());
        }
        SecurityConfig security = config.security();
        if (security.tlsCertificate().isPresent()) {
            proxyConfig = proxyConfig.withCertificate(security.tlsCertificate().get(), security.tlsKey().orElseThrow());
        }
        ProxyServer proxy = new ProxyServer(proxyConfig, new ProxyEndpoints(db, projectStore, branchStore,
                endpointStore, roleStore, operationStore, endpoints, provisioner, activity, engine.settled(), clock));
        proxy.start();
        own(proxy);
        httpPort = proxy.listenHttps(config.httpPort());
        newCertificateAuthority = proxy.localAuthority().filter(LocalAuthority::created)
                .map(LocalAuthority::certificateFile);
        ProxyPorts ports = new ProxyPorts(db, endpointStore, proxy);
        ports.run();
        // A new endpoint's port is listened on before the API answers that it exists.
        endpointPortsChanged.subscribe(() -> quietly("updating the proxy's endpoint ports", ports));
        IdleSuspension idle = new IdleSuspension(db, endpointStore, endpoints, activity, clock);

        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xenon-background");
            t.setDaemon(true);
            return t;
        });
        background.scheduleWithFixedDelay(() -> quietly("recording API key use", keys::flushUses),
                1, 1, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("deleting expired branches", branches::deleteExpired),
                1, 5, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("suspending idle computes", idle), 1, 1, TimeUnit.SECONDS);
        background.scheduleWithFixedDelay(() -> quietly("updating the proxy's endpoint ports", ports),
                5, 5, TimeUnit.SECONDS);
        own(() -> {
            background.shutdownNow();
            background.awaitTermination(10, TimeUnit.SECONDS);
            keys.flushUses();
        });
        // Base copies take seconds: on their own thread, so idle suspension and the others keep their pace.
        ScheduledExecutorService historyKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xenon-history");
            t.setDaemon(true);
            return t;
        });
        long historyMillis = config.history().interval().toMillis();
        HistoryRetention retention = new HistoryRetention(db, branchStore, provisioner, clock);
        historyKeeper.scheduleWithFixedDelay(() -> quietly("keeping branch history", retention),
                historyMillis, historyMillis, TimeUnit.MILLISECONDS);
        own(() -> {
            historyKeeper.shutdownNow();
            historyKeeper.awaitTermination(60, TimeUnit.SECONDS);
        });

        Params params = new Params(json);
        Renderer render = new Renderer(regions, new EndpointAddress(config.proxyDomain().orElse(null),
                config.advertisedAddress(), proxy.port()));
        RateLimiter limiter = new RateLimiter(config.rateLimitPerMinute(), config.rateLimitBurstPerSecond());
        FailureThrottle invalidKeys = new FailureThrottle(config.security().apiKeys());
        ApiServer server = new ApiServer(json, new ErrorMapper(), app -> {
            ReadinessChecks.of(db, proxy, engine).register(app);
            ApiRouter router = new ApiRouter(ApiRouter.NEON, app, keys, limiter, invalidKeys);
            OrgRoutes orgRoutes = new OrgRoutes(new OrgService(db, orgStore, userStore, keyStore, authorization, ids,
                    clock), keys, params);
            orgRoutes.register(router);
            orgRoutes.registerExtensions(new ApiRouter(ApiRouter.XENON, app, keys, limiter, invalidKeys));
            new ApiKeyRoutes(keys, params).register(router);
            new ProjectRoutes(projects, params, render).register(router);
            new OperationRoutes(operations).register(router);
            new BranchRoutes(branches, params, render).register(router);
            new RoleRoutes(roles, params).register(router);
            new DatabaseRoutes(databases, params).register(router);
            new EndpointRoutes(endpoints, params, render).register(router);
            new UserRoutes(new UserService(db, userStore), regions, authorization).register(router);
        });
        own(server);
        return server.start(config.bindAddress(), config.apiPort());
    }

    private Provisioner provisioner(ServerConfig config, Optional<OsUser> osUser) {
        if (config.dataPlane() == ServerConfig.DataPlane.METADATA_ONLY) {
            return new MetadataOnlyProvisioner();
        }
        LocalProvisioner local = new LocalProvisioner(new LocalProvisioner.Config(config.dataDir(),
                new Distributions(config.pgDistDir(), config.pgCacheDir()), osUser, config.computeMemoryScale(),
                SPARE_TIMELINES, config.history().baseWalBytes(), config.history().baseSizeFactor()));
        // The default version: the first project should not wait for initdb.
        local.prepareInBackground(List.of(17));
        return local;
    }

    public static ServerMain start(ServerConfig config) {
        try {
            return new ServerMain(config);
        } catch (IOException e) {
            throw new IllegalStateException("while starting Xenon in " + config.dataDir(), e);
        }
    }

    private Db openStore(ServerConfig config, Optional<OsUser> osUser) {
        if (config.databaseUrl().isPresent()) {
            DatabaseUrl url = DatabaseUrl.parse(config.databaseUrl().get());
            return new Db(url.jdbcUrl(), url.user(), url.password());
        }
        Distribution distribution = Distribution.unpack(17, config.pgDistDir(), config.pgCacheDir());
        EmbeddedMetaStore meta = EmbeddedMetaStore.start(config.dataDir().resolve("meta"), distribution, osUser);
        own(meta);
        return new Db(meta.jdbcUrl(), meta.user(), meta.password(), meta::up);
    }

    private void own(AutoCloseable resource) {
        resources.push(resource);
    }

    private static void quietly(String what, Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("while {}: {}{}", what, e, e.getCause() == null ? "" : " (" + e.getCause() + ")");
        }
    }

    public int apiPort() {
        return api.port();
    }

    /** The proxy's HTTPS port: Postgres over WebSocket for the serverless driver. */
    public int httpPort() {
        return httpPort;
    }

    /** Where the endpoint's compute listens while it runs: for benchmarks and diagnostics that bypass the proxy. */
    public Optional<java.net.InetSocketAddress> computeAddress(String endpointId) {
        return provisioner.computeAddress(endpointId);
    }

    public Optional<String> generatedApiKey() {
        return generatedApiKey;
    }

    /** The certificate of the local CA when this start created it, for the user to be told how to trust it. */
    public Optional<Path> newCertificateAuthority() {
        return newCertificateAuthority;
    }

    /** Stops everything in reverse order of start: API first, Postgres last. */
    @Override
    public void close() {
        stop();
    }

    /** {@link #close()}, telling whether every part stopped without an error. */
    public boolean stop() {
        boolean clean = true;
        while (!resources.isEmpty()) {
            AutoCloseable resource = resources.pop();
            try {
                resource.close();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                clean = false;
                log.warn("while shutting down {}: {}", resource.getClass().getSimpleName(), e.toString());
            }
        }
        return clean;
    }
}
