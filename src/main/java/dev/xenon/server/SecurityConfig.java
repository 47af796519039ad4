package dev.xenon.server;

import dev.xenon.proxy.ProxyConfig;
import dev.xenon.throttle.FailureThrottle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How secrets and client access are guarded (docs/SECURITY.md).
 *
 * @param allowPlaintext accept proxy clients that do not negotiate TLS (Neon refuses them)
 * @param secretKey      base64 of the 32-byte key that encrypts role passwords at rest (XENON_SECRET_KEY);
 *                       empty: the key in {@code <data-dir>/secret-key}, made on first start
 * @param proxyLogins    failed proxy logins allowed per endpoint, role and client address
 * @param apiKeys        invalid API keys allowed per client address
 * @param tlsCertificate PEM certificate chain the proxy serves instead of one from the local CA (--tls-cert)
 * @param tlsKey         its PEM private key (--tls-key)
 */
public record SecurityConfig(boolean allowPlaintext, Optional<String> secretKey, FailureThrottle.Limit proxyLogins,
                             FailureThrottle.Limit apiKeys, Optional<Path> tlsCertificate, Optional<Path> tlsKey) {
    public static final SecurityConfig DEFAULT = new SecurityConfig(false, Optional.empty(),
            ProxyConfig.DEFAULT_LOGIN_FAILURES, new FailureThrottle.Limit(10, Duration.ofMinutes(1)), Optional.empty(),
            Optional.empty());

    public SecurityConfig {
        requireNonNull(secretKey, "secretKey is null");
        requireNonNull(proxyLogins, "proxyLogins is null");
        requireNonNull(apiKeys, "apiKeys is null");
        if (tlsCertificate.isPresent() != tlsKey.isPresent()) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
    }

    public SecurityConfig withAllowPlaintext(boolean allow) {
        return new SecurityConfig(allow, secretKey, proxyLogins, apiKeys, tlsCertificate, tlsKey);
    }

    public SecurityConfig withSecretKey(String base64) {
        return new SecurityConfig(allowPlaintext, Optional.ofNullable(base64), proxyLogins, apiKeys, tlsCertificate,
                tlsKey);
    }

    public SecurityConfig withLimits(FailureThrottle.Limit logins, FailureThrottle.Limit keys) {
        return new SecurityConfig(allowPlaintext, secretKey, logins, keys, tlsCertificate, tlsKey);
    }

    /** The proxy serves this certificate and key; the local CA is not used for it. */
    public SecurityConfig withTlsCertificate(Path certificate, Path key) {
        return new SecurityConfig(allowPlaintext, secretKey, proxyLogins, apiKeys, Optional.of(certificate),
                Optional.of(key));
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "SecurityConfig[allowPlaintext=" + allowPlaintext + ", secretKey=" + (secretKey.isPresent() ? "(set)"
                : "(file)") + ", proxyLogins=" + proxyLogins + ", apiKeys=" + apiKeys + ", tlsCertificate=" + tlsCertificate + "]";
    }
}

