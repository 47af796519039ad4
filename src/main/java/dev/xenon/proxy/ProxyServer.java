package dev.xenon.proxy;

import dev.xenon.proxy.tls.CertificateNames;
import dev.xenon.proxy.tls.LocalAuthority;
import dev.xenon.proxy.tls.TlsIdentity;
import dev.xenon.throttle.FailureThrottle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The Postgres-protocol front door of every endpoint: one main port that routes by SNI, options or password, and
 * one port per endpoint that has its own. Each connection runs as a {@link ClientSession} on a virtual thread.
 *
 * <pre>{@code
 * ProxyServer proxy = new ProxyServer(config, directory);
 * proxy.start();                       // binds the main port, loads or issues the TLS certificate
 * proxy.addEndpointPort(port);         // for each endpoint with a port of its own
 * proxy.close();                       // stops listening and ends every session
 * }</pre>
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    /** Where, under the CA's directory, the certificate it issued the proxy is kept. */
    private static final String ISSUED_DIR = "proxy-tls";

    private final ProxyConfig config;
    private final EndpointDirectory directory;
    private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

    // Guarded by this.
    private ProxyServices services;
    private LocalAuthority authority;
    private Listener main;
    private Listener https;
    private final Map<Integer, Listener> endpointListeners = new ConcurrentHashMap<>();
    private boolean closed;

    public ProxyServer(ProxyConfig config, EndpointDirectory directory) {
        this.config = requireNonNull(config, "config is null");
        this.directory = requireNonNull(directory, "directory is null");
    }

    /** Loads (or generates) the TLS certificate and starts listening on the main port. */
    public synchronized void start() {
        if (main != null || closed) {
            throw new IllegalStateException("the proxy has already been started");
        }
        SecureRandom random = new SecureRandom();
        byte[] mockSecret = new byte[32];
        random.nextBytes(mockSecret);
        services = new ProxyServices(config, directory, tls(), new EndpointRouter(config.domain()),
                new ClientAuthenticator(directory, mockSecret, random, new FailureThrottle(config.loginFailures())),
                new SharedWakes(directory), new ComputeLogin(config.computeConnectTimeout(), random),
                new CancelKeys(random, config.computeConnectTimeout()));
        main = new Listener(config.listenAddress(), config.port(), false, this::serve);
        LOG.info("proxy listening on {}:{}", config.listenAddress().getHostAddress(), main.port());
    }

    /**
     * Also listens on {@code port} (0 for any free one) of the listen address for HTTPS: Postgres over WebSocket
     * ({@link HttpsPort}). Returns the port bound.
     */
    public synchronized int listenHttps(int port) {
        if (main == null || closed) {
            throw new IllegalStateException("the proxy is not running");
        }
        if (https != null) {
            throw new IllegalStateException("the proxy already listens for HTTPS on port " + https.port());
        }
        HttpsPort door = new HttpsPort(services);
        https = new Listener(config.listenAddress(), port, false, accepted -> serveHttps(door, accepted));
        LOG.info("proxy listening for HTTPS (WebSocket) on {}:{}", config.listenAddress().getHostAddress(),
                https.port());
        return https.port();
    }

    /** The HTTPS port, once {@link #listenHttps} bound it. */
    public synchronized OptionalInt httpsPort() {
        return https == null ? OptionalInt.empty() : OptionalInt.of(https.port());
    }

    /** The main port. */
    public synchronized int port() {
        if (main == null) {
            throw new IllegalStateException("the proxy has not been started");
        }
        return main.port();
    }

    /** Whether the main port is bound and accepting connections: for readiness. */
    public synchronized boolean listening() {
        return main != null && !closed && main.accepting();
    }

    /** The certificate clients see, for them to pin or verify against. */
    public synchronized X509Certificate certificate() {
        if (services == null) {
            throw new IllegalStateException("the proxy has not been started");
        }
        return services.tls().certificate();
    }

    /** The local CA that issued the proxy's certificate; empty when the operator configured one. */
    public synchronized Optional<LocalAuthority> localAuthority() {
        return Optional.ofNullable(authority);
    }

    /**
     * Also listens on {@code port}; connections there go to the endpoint {@link EndpointDirectory#byPort} names.
     * Does nothing if already listening there.
     */
    public synchronized void addEndpointPort(int port) {
        if (main == null || closed) {
            throw new IllegalStateException("the proxy is not running");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid endpoint port " + port);
        }
        if (!endpointListeners.containsKey(port)) {
            endpointListeners.put(port, new Listener(config.listenAddress(), port, true, this::serve));
        }
    }

    /** Stops listening on an endpoint's port; its open sessions go on (see {@link #closeSessions}). */
    public synchronized void removeEndpointPort(int port) {
        Listener listener = endpointListeners.remove(port);
        if (listener != null) {
            listener.close();
        }
    }

    public Set<Integer> endpointPorts() {
        return new TreeSet<>(endpointListeners.keySet());
    }

    /** Ends every open session of an endpoint, say once it is deleted or its compute is suspended. */
    public void closeSessions(String endpointId) {
        requireNonNull(endpointId, "endpointId is null");
        sessions.stream().filter(s -> s.endpointId().filter(endpointId::equals).isPresent())
                .forEach(ClientSession::close);
    }

    @Override
    public void close() {
        List<Listener> listeners = new ArrayList<>();
        synchronized (this) {
            closed = true;
            if (main != null) {
                listeners.add(main);
            }
            if (https != null) {
                listeners.add(https);
            }
            listeners.addAll(endpointListeners.values());
            endpointListeners.clear();
        }
        listeners.forEach(Listener::close);
        sessions.forEach(ClientSession::close);
    }

    private void serve(Listener.Accepted accepted) {
        run(new ClientSession(accepted.socket(), accepted.endpointPort(), services));
    }

    private void serveHttps(HttpsPort door, Listener.Accepted accepted) {
        Socket socket = accepted.socket();
        try {
            if (!closedNow()) {
                door.open(socket).ifPresent(this::run);
            }
        } catch (IOException e) {
            LOG.debug("HTTPS connection from {} ended: {}", socket.getInetAddress(), e.toString());
        } finally {
            ComputeLogin.closeQuietly(socket);
        }
    }

    private void run(ClientSession session) {
        sessions.add(session);
        try {
            if (closedNow()) {
                return;
            }
            session.run();
        } finally {
            sessions.remove(session);
            session.close();
        }
    }

    private synchronized boolean closedNow() {
        return closed;
    }

    /** The operator's certificate when one is configured, else the one the local CA issues for every name. */
    private TlsIdentity tls() {
        if (config.certificateFile().isPresent()) {
            return TlsIdentity.fromPem(config.certificateFile().get(), config.privateKeyFile().orElseThrow());
        }
        authority = LocalAuthority.loadOrCreate(config.caDir());
        return TlsIdentity.issuedBy(authority, config.caDir().resolve(ISSUED_DIR),
                CertificateNames.forProxy(config.domain(), config.advertisedHosts()));
    }
}
