package dev.xenon.proxy;

import dev.xenon.throttle.FailureThrottle;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How the proxy listens and secures connections.
 *
 * @param listenAddress         where the main port and every endpoint port listen
 * @param port                  the main port, 0 for an ephemeral one
 * @param domain                when set, a TLS SNI host {@code ep-x[-pooler].<domain>} names endpoint ep-x
 * @param certificateFile       PEM certificate chain, leaf first; empty for a self-signed one kept in tlsDir
 * @param privateKeyFile        PEM private key of that certificate
 * @param tlsDir                where the self-signed certificate is generated on first start and kept
 * @param requireTls            refuse clients that do not negotiate TLS (the default, as in Neon)
 * @param startupTimeout        how long a client may take from connecting to finishing authentication
 * @param computeConnectTimeout how long connecting and logging in to a running compute may take
 * @param loginFailures         failed logins allowed per endpoint, role and client address before further
 *                              attempts are refused for the rest of the window
 */
public record ProxyConfig(InetAddress listenAddress, int port, Optional<String> domain,
                          Optional<Path> certificateFile, Optional<Path> privateKeyFile, Path tlsDir,
                          boolean requireTls, Duration startupTimeout, Duration computeConnectTimeout,
                          FailureThrottle.Limit loginFailures) {
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_COMPUTE_CONNECT_TIMEOUT = Duration.ofSeconds(30);
    /** 5 guesses a minute: a person who mistypes is back within a minute; a guesser gets 7,200 tries a day. */
    public static final FailureThrottle.Limit DEFAULT_LOGIN_FAILURES = new FailureThrottle.Limit(5, Duration.ofMinutes(1));

    public ProxyConfig {
        requireNonNull(listenAddress, "listenAddress is null");
        requireNonNull(domain, "domain is null");
        requireNonNull(certificateFile, "certificateFile is null");
        requireNonNull(privateKeyFile, "privateKeyFile is null");
        requireNonNull(tlsDir, "tlsDir is null");
        requireNonNull(startupTimeout, "startupTimeout is null");
        requireNonNull(computeConnectTimeout, "computeConnectTimeout is null");
        requireNonNull(loginFailures, "loginFailures is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid proxy port " + port);
        }
        if (certificateFile.isPresent() != privateKeyFile.isPresent()) {
            throw new IllegalArgumentException("a proxy TLS certificate needs its private key, and the other way round");
        }
        domain = domain.map(d -> d.strip().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty());
        if (domain.isPresent() && !domain.get().matches("[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
            throw new IllegalArgumentException("invalid proxy domain " + domain.get());
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()
                || computeConnectTimeout.isNegative() || computeConnectTimeout.isZero()) {
            throw new IllegalArgumentException("proxy timeouts must be positive");
        }
    }

    /**
     * Listens on every address on {@code port}, no domain, a self-signed certificate in {@code tlsDir}, TLS
     * required.
     */
    public static ProxyConfig defaults(int port, Path tlsDir) {
        return new ProxyConfig(anyAddress(), port, Optional.empty(), Optional.empty(), Optional.empty(), tlsDir,
                true, DEFAULT_STARTUP_TIMEOUT, DEFAULT_COMPUTE_CONNECT_TIMEOUT, DEFAULT_LOGIN_FAILURES);
    }

    public ProxyConfig withListenAddress(InetAddress address) {
        return new ProxyConfig(address, port, domain, certificateFile, privateKeyFile, tlsDir, requireTls,
                startupTimeout, computeConnectTimeout, loginFailures);
    }

    public ProxyConfig withDomain(String newDomain) {
        return new ProxyConfig(listenAddress, port, Optional.ofNullable(newDomain), certificateFile, privateKeyFile,
                tlsDir, requireTls, startupTimeout, computeConnectTimeout, loginFailures);
    }

    public ProxyConfig withCertificate(Path certificate, Path privateKey) {
        return new ProxyConfig(listenAddress, port, domain, Optional.of(certificate), Optional.of(privateKey), tlsDir,
                requireTls, startupTimeout, computeConnectTimeout, loginFailures);
    }

    public ProxyConfig withRequireTls(boolean required) {
        return new ProxyConfig(listenAddress, port, domain, certificateFile, privateKeyFile, tlsDir, required,
                startupTimeout, computeConnectTimeout, loginFailures);
    }

    public ProxyConfig withTimeouts(Duration startup, Duration computeConnect) {
        return new ProxyConfig(listenAddress, port, domain, certificateFile, privateKeyFile, tlsDir, requireTls,
                startup, computeConnect, loginFailures);
    }

    public ProxyConfig withLoginFailures(FailureThrottle.Limit limit) {
        return new ProxyConfig(listenAddress, port, domain, certificateFile, privateKeyFile, tlsDir, requireTls,
                startupTimeout, computeConnectTimeout, limit);
    }

    private static InetAddress anyAddress() {
        try {
            return InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
