package dev.xenon.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.api.ApiRouter;
import dev.xenon.api.ApiServer;
import dev.xenon.api.ErrorMapper;
import dev.xenon.api.Params;
import dev.xenon.api.RateLimiter;
import dev.xenon.api.apikeys.ApiKeyRoutes;
import dev.xenon.api.branches.BranchRoutes;
import dev.xenon.api.branches.DatabaseRoutes;
import dev.xenon.api.branches.RoleRoutes;
import dev.xenon.api.endpoints.EndpointRoutes;
import dev.xenon.api.json.Json;
import dev.xenon.api.operations.OperationRoutes;
import dev.xenon.api.orgs.OrgRoutes;
import dev.xenon.api.projects.ProjectRoutes;
import dev.xenon.api.representations.Renderer;
import dev.xenon.api.users.UserRoutes;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.branches.HistoryRetention;
import dev.xenon.control.endpoints.EndpointAddress;
import dev.xenon.control.users.Bootstrap;
import dev.xenon.operations.OperationEngine;
import dev.xenon.provisioner.MetadataOnlyProvisioner;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.provisioner.local.LocalProvisioner;
import dev.xenon.provisioner.local.postgres.Distribution;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.SecretFile;
import dev.xenon.proxy.ProxyConfig;
import dev.xenon.proxy.ProxyServer;
import dev.xenon.proxy.SessionActivity;
import dev.xenon.proxy.tls.LocalAuthority;
import dev.xenon.server.proxy.IdleSuspension;
import dev.xenon.server.proxy.ProxyEndpoints;
import dev.xenon.server.proxy.ProxyPorts;
import dev.xenon.steps.Steps;
import dev.xenon.steps.UndoRefused;
import dev.xenon.store.Db;
import dev.xenon.store.EmbeddedMetaStore;
import dev.xenon.store.StoreConfig;
import dev.xenon.throttle.FailureThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
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

    /** Builds and starts, in order: store, data plane, control, operations, proxy, background chores, API. */
    private ApiServer boot(ServerConfig config) throws IOException {
        // Before anything else touches the directory: a second server must leave the first one's state alone.
        own(DataDirLock.acquire(config.dataDir()));
        Clock clock = Clock.systemUTC();
        ObjectMapper json = Json.mapper();
        Optional<OsUser> osUser = OsUser.resolveWhenRoot(config.postgres().osUser().orElse(null));

        Db db = openStore(config.store(), config.postgres(), config.dataDir(), osUser);
        own(db);
        // Before the data plane does any work: a wrong secret key (role passwords) stops the start here.
        MetadataStores stores = MetadataStores.open(json, db, config);
        provisioner = provisioner(config, osUser);
        own(provisioner);
        Services control = Services.build(db, stores, provisioner, config, clock);
        generatedApiKey = Optional.ofNullable(new Bootstrap(db, stores.keys(), control.ids(), clock)
                .run(config.api().bootstrapApiKey()).orElse(null));
        generatedApiKey.ifPresent(token -> SecretFile.write(config.dataDir().resolve("api-key"), token,
                "bootstrap API key"));
        OperationEngine engine = startOperations(config, db, stores, control, clock);
        ProxyParts proxy = startProxy(config, db, stores, control, engine, clock);
        startBackground(config.background(), config.history(), db, stores, control, proxy, clock);
        return startApi(config, json, db, control, proxy, engine);
    }

    /** The engine that runs queued operations through the steps, and the computes that were running at the stop. */
    private OperationEngine startOperations(ServerConfig config, Db db, MetadataStores s, Services control,
                                            Clock clock) {
        // A compute that dies on its own leaves its endpoint idle; the next start (or connection) brings it back.
        provisioner.onComputeExit(endpointId -> quietly("marking the endpoint of a stopped compute idle",
                () -> db.run(h -> s.endpoints().markIdle(h, endpointId, clock.instant()))));
        Steps steps = new Steps(db, provisioner, s.projects(), s.branches(), s.endpoints(), s.roles(),
                s.databases(), s.operations(), clock);
        OperationEngine engine = new OperationEngine(db, s.operations(),
                new UndoRefused(db, s.roles(), s.databases(), steps), config.engine());
        // Queued operations start as soon as they are committed, not at the next poll.
        s.operationsQueued().subscribe(engine::wake);
        engine.start(config.store().databaseUrl().isEmpty());
        own(engine);
        if (config.dataPlane().kind() == DataPlaneConfig.Kind.LOCAL) {
            // Stopping the server stopped every compute; bring back those the metadata says are active.
            int resumed = control.endpoints().resumeActive();
            if (resumed > 0) {
                log.info("starting {} compute(s) that were active when the server last stopped", resumed);
            }
        }
        return engine;
    }

    private record ProxyParts(ProxyServer server, ProxyConfig config, ProxyPorts ports, IdleSuspension idle) {}

    /** Clients' Postgres connections: routed through control's directory, waking suspended computes. */
    private ProxyParts startProxy(ServerConfig config, Db db, MetadataStores s, Services control,
                                  OperationEngine engine, Clock clock) throws IOException {
        SessionActivity activity = new SessionActivity(clock);
        ProxyConfig proxyConfig = proxyConfig(config);
        ProxyServer proxy = new ProxyServer(proxyConfig, new ProxyEndpoints(db, s.projects(), s.branches(),
                s.endpoints(), s.roles(), s.operations(), control.endpoints(), provisioner, activity,
                engine.settled(), proxyConfig.wakeTimeout(), clock));
        proxy.start();
        own(proxy);
        httpPort = proxy.listenHttps(proxyConfig.httpPort());
        newCertificateAuthority = proxy.localAuthority().filter(LocalAuthority::created)
                .map(LocalAuthority::certificateFile);
        ProxyPorts ports = new ProxyPorts(db, s.endpoints(), proxy);
        ports.run();
        // A new endpoint's port is listened on before the API answers that it exists.
        s.endpointPortsChanged().subscribe(() -> quietly("updating the proxy's endpoint ports", ports));
        return new ProxyParts(proxy, proxyConfig, ports, new IdleSuspension(db, s.endpoints(), control.endpoints(), activity,
                clock));
    }

    /** The periodic chores, and branch history on a thread of its own. */
    private void startBackground(BackgroundConfig every, HistoryConfig history, Db db, MetadataStores s,
                                 Services control, ProxyParts proxy, Clock clock) {
        ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xenon-background");
            t.setDaemon(true);
            return t;
        });
        periodically(background, "recording API key use", control.keys()::flushUses, every.keyUseFlush());
        periodically(background, "deleting expired branches", control.branches()::deleteExpired,
                every.expiredBranchSweep());
        periodically(background, "suspending idle computes", proxy.idle(), every.idleSuspension());
        // Synced at start: the first periodic sync can wait a whole interval.
        background.scheduleWithFixedDelay(() -> quietly("updating the proxy's endpoint ports", proxy.ports()),
                every.portSync().toMillis(), every.portSync().toMillis(), TimeUnit.MILLISECONDS);
        own(() -> {
            background.shutdownNow();
            background.awaitTermination(10, TimeUnit.SECONDS);
            control.keys().flushUses();
        });
        // Base copies take seconds: on their own thread, so idle suspension and the others keep their pace.
        ScheduledExecutorService historyKeeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "xenon-history");
            t.setDaemon(true);
            return t;
        });
        long historyMillis = history.interval().toMillis();
        HistoryRetention retention = new HistoryRetention(db, s.branches(), provisioner, clock);
        historyKeeper.scheduleWithFixedDelay(() -> quietly("keeping branch history", retention),
                historyMillis, historyMillis, TimeUnit.MILLISECONDS);
        own(() -> {
            historyKeeper.shutdownNow();
            historyKeeper.awaitTermination(60, TimeUnit.SECONDS);
        });
    }

    private ApiServer startApi(ServerConfig config, ObjectMapper json, Db db, Services control, ProxyParts proxy,
                               OperationEngine engine) {
        Params params = new Params(json);
        Renderer render = new Renderer(control.regions(), new EndpointAddress(proxy.config().domain().orElse(null),
                config.advertisedAddress(), proxy.server().port()));
        RateLimiter limiter = new RateLimiter(config.api().rateLimitPerMinute(),
                config.api().rateLimitBurstPerSecond());
        FailureThrottle invalidKeys = new FailureThrottle(config.security().apiKeys());
        ApiKeyService keys = control.keys();
        ApiServer server = new ApiServer(json, new ErrorMapper(), app -> {
            ReadinessChecks.of(db, proxy.server(), engine).register(app);
            ApiRouter router = new ApiRouter(ApiRouter.NEON, app, keys, limiter, invalidKeys);
            OrgRoutes orgRoutes = new OrgRoutes(control.orgs(), keys, params);
            orgRoutes.register(router);
            orgRoutes.registerExtensions(new ApiRouter(ApiRouter.XENON, app, keys, limiter, invalidKeys));
            new ApiKeyRoutes(keys, params).register(router);
            new ProjectRoutes(control.projects(), params, render).register(router);
            new OperationRoutes(control.operations()).register(router);
            new BranchRoutes(control.branches(), params, render).register(router);
            new RoleRoutes(control.roles(), params).register(router);
            new DatabaseRoutes(control.databases(), params).register(router);
            new EndpointRoutes(control.endpoints(), params, render).register(router);
            new UserRoutes(control.users(), control.regions(), control.authorization()).register(router);
        });
        own(server);
        return server.start(config.bindAddress(), config.api().port());
    }

    private Provisioner provisioner(ServerConfig config, Optional<OsUser> osUser) {
        DataPlaneConfig plane = config.dataPlane();
        if (plane.kind() == DataPlaneConfig.Kind.METADATA_ONLY) {
            return new MetadataOnlyProvisioner();
        }
        PostgresConfig postgres = config.postgres();
        HistoryConfig history = config.history();
        LocalProvisioner local = new LocalProvisioner(new LocalProvisioner.Config(config.dataDir(),
                new Distributions(postgres.distDir(), postgres.cacheDir()), osUser, plane.computeMemoryScale(),
                plane.spareTimelines(), history.baseWal().bytes(), history.baseSizeFactor()));
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

    private Db openStore(StoreConfig store, PostgresConfig postgres, Path dataDir, Optional<OsUser> osUser) {
        if (store.databaseUrl().isPresent()) {
            DatabaseUrl url = DatabaseUrl.parse(store.databaseUrl().get());
            return new Db(url.jdbcUrl(), url.user(), url.password(), store, () -> true);
        }
        Distribution distribution = Distribution.unpack(17, postgres.distDir(), postgres.cacheDir());
        EmbeddedMetaStore meta = EmbeddedMetaStore.start(dataDir.resolve("meta"), distribution, osUser);
        own(meta);
        return new Db(meta.jdbcUrl(), meta.user(), meta.password(), store, meta::up);
    }

    /**
     * The proxy's own settings, listening where the API does, with every host a connection URI can name in its
     * certificate (EndpointAddress), and TLS as the security settings say.
     */
    private static ProxyConfig proxyConfig(ServerConfig config) throws IOException {
        SecurityConfig security = config.security();
        ProxyConfig proxy = config.proxy()
                .withListenAddress(InetAddress.getByName(config.bindAddress()))
                .withAdvertisedHosts(List.of(config.advertisedAddress()))
                .withRequireTls(!security.allowPlaintext())
                .withLoginFailures(security.proxyLogins());
        if (security.tlsCertificate().isPresent()) {
            proxy = proxy.withCertificate(security.tlsCertificate().get(), security.tlsKey().orElseThrow());
        }
        return proxy;
    }

    /** The first run comes within a second of start: the server may have been down while work came due. */
    private static void periodically(ScheduledExecutorService executor, String what, Runnable task, Duration every) {
        long millis = every.toMillis();
        executor.scheduleWithFixedDelay(() -> quietly(what, task), Math.min(millis, 1000), millis,
                TimeUnit.MILLISECONDS);
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
