package dev.xenon.proxy;

import dev.xenon.throttle.FailureThrottle;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How the proxy listens and secures connections.
 *
 * @param listenAddress         where the main port and every endpoint port listen
 * @param port                  the main port, 0 for an ephemeral one
 * @param domain                when set, a TLS SNI host {@code ep-x[-pooler].<domain>} names endpoint ep-x
 * @param certificateFile       PEM certificate chain, leaf first; empty for one that the local CA issues
 * @param privateKeyFile        PEM private key of that certificate
 * @param caDir                 where the local CA ({@code ca.crt}, {@code ca.key}) is created on first start and
 *                              kept, with the certificate it issues the proxy under {@code proxy-tls/}
 * @param advertisedHosts       hosts that connection URIs name besides the domain and loopback, which the issued
 *                              certificate must cover too
 * @param requireTls            refuse clients that do not negotiate TLS (the default, as in Neon)
 * @param startupTimeout        how long a client may take from connecting to finishing authentication
 * @param computeConnectTimeout how long connecting and logging in to a running compute may take
 * @param wakeTimeout           how long a connection waits for its endpoint's suspended compute to start (the
 *                              {@link EndpointDirectory} that wakes computes reads it)
 * @param loginFailures         failed logins allowed per endpoint, role and client address before further
 *                              attempts are refused for the rest of the window
 */
public record ProxyConfig(InetAddress listenAddress, int port, int httpPort, Optional<String> domain,
                          Optional<Path> certificateFile, Optional<Path> privateKeyFile, Path caDir,
                          List<String> advertisedHosts,
                          boolean requireTls, Duration startupTimeout, Duration computeConnectTimeout,
                          Duration wakeTimeout, FailureThrottle.Limit loginFailures) {
    /**
     * The HTTPS port (WebSocket at {@code /v2}; SQL over HTTP later): 4444, the port Neon's local HTTP proxy image
     * (local-proxy, "neon_local") serves it on.
     */
    public static final int DEFAULT_HTTP_PORT = 4444;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMPUTE_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_WAKE_TIMEOUT = Duration.ofSeconds(60);
    /** 5 guesses a minute: a person who mistypes is back within a minute; a guesser gets 7,200 tries a day. */
    public static final FailureThrottle.Limit DEFAULT_LOGIN_FAILURES = new FailureThrottle.Limit(5, Duration.ofMinutes(1));

    public ProxyConfig {
        requireNonNull(listenAddress, "listenAddress is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(privateKeyFile, "privateKeyFile is null");
        requireNonNull(caDir, "caDir is null");
        advertisedHosts = List.copyOf(advertisedHosts);
        requireNonNull(startupTimeout, "startupTimeout is null");
        requireNonNull(computeConnectTimeout, "computeConnectTimeout is null");
        requireNonNull(wakeTimeout, "wakeTimeout is null");
        requireNonNull(loginFailures, "loginFailures is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid proxy port " + port);
        }
        if (httpPort < 0 || httpPort > 65535) {
            throw new IllegalArgumentException("invalid proxy HTTPS port " + httpPort);
        }
        if (certificateFile.isPresent() != privateKeyFile.isPresent()) {
            throw new IllegalArgumentException("a proxy TLS certificate needs its private key, and the other way round");
        }
        domain = domain.map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty());
        if (domain.isPresent() && !domain.get().matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("invalid proxy domain " + domain.get());
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()
                || computeConnectTimeout.isNegative() || computeConnectTimeout.isZero()
                || wakeTimeout.isNegative() || wakeTimeout.isZero()) {
            throw new IllegalArgumentException("proxy timeouts must be positive");
        }
    }

    /**
     * Listens on every address on {@code port}, no domain, a certificate from the local CA in {@code caDir}, TLS
     * required.
     */
    public static ProxyConfig defaults(int port, Path caDir) {
        return new ProxyConfig(anyAddress(), port, DEFAULT_HTTP_PORT, Optional.empty(), Optional.empty(), Optional.empty(), caDir,
                List.of(), true, DEFAULT_STARTUP_TIMEOUT, DEFAULT_COMPUTE_CONNECT_TIMEOUT, DEFAULT_WAKE_TIMEOUT,
                DEFAULT_LOGIN_FAILURES);
    }

    public ProxyConfig withPort(int newPort) {
        return new ProxyConfig(listenAddress, newPort, httpPort, domain, certificateFile, privateKeyFile, caDir, advertisedHosts,
                requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withHttpPort(int newPort) {
        return new ProxyConfig(listenAddress, port, newPort, domain, certificateFile, privateKeyFile, caDir,
                advertisedHosts, requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withListenAddress(InetAddress address) {
        return new ProxyConfig(address, port, httpPort, domain, certificateFile, privateKeyFile, caDir, advertisedHosts,
                requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withDomain(String newDomain) {
        return new ProxyConfig(listenAddress, port, httpPort, Optional.ofNullable(newDomain), certificateFile, privateKeyFile,
                caDir, advertisedHosts, requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withCertificate(Path certificate, Path privateKey) {
        return new ProxyConfig(listenAddress, port, httpPort, domain, Optional.of(certificate), Optional.of(privateKey), caDir,
                advertisedHosts, requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withAdvertisedHosts(List<String> hosts) {
        return new ProxyConfig(listenAddress, port, httpPort, domain, certificateFile, privateKeyFile, caDir, hosts,
                requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withRequireTls(boolean required) {
        return new ProxyConfig(listenAddress, port, httpPort, domain, certificateFile, privateKeyFile, caDir, advertisedHosts,
                required, startupTimeout, computeConnectTimeout, wakeTimeout, loginFailures);
    }

    public ProxyConfig withTimeouts(Duration startup, Duration computeConnect) {
        return new ProxyConfig(listenAddress, port, httpPort, domain, certificateFile, privateKeyFile, caDir, advertisedHosts,
                requireTls, startup, computeConnect, wakeTimeout, loginFailures);
    }

    public ProxyConfig withLoginFailures(FailureThrottle.Limit limit) {
        return new ProxyConfig(listenAddress, port, httpPort, domain, certificateFile, privateKeyFile, caDir, advertisedHosts,
                requireTls, startupTimeout, computeConnectTimeout, wakeTimeout, limit);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
