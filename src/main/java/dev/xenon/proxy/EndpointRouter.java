package dev.xenon.proxy;

import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;

import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Decides which endpoint a connection is for, before authentication. Sources in order of precedence: the TLS SNI
 * host {@code <endpoint-id>[-pooler].<domain>}, the {@code options} startup parameter, and the endpoint port the
 * client connected to. Sources that disagree refuse the connection rather than guess. When none names an endpoint
 * the password can still do it (see {@link PasswordHack}).
 */
final class EndpointRouter {
    /** Pooled connection strings name the same endpoint with this suffix; without a pooler both go to the compute. */
    static final String POOLER_SUFFIX = "-pooler";

    private final Optional<String> domain;

    EndpointRouter(Optional<String> domain) {
        this.domain = requireNonNull(domain, "domain is null");
    }

    Optional<String> route(Optional<String> serverName, Optional<String> fromOptions, Optional<String> fromPort)
            throws PgError {
        Optional<String> fromSni = serverName.flatMap(this::endpointFromServerName);
        if (fromSni.isPresent() && fromOptions.isPresent() && !fromSni.equals(fromOptions)) {
            throw new PgError(SqlState.REJECTED_CONNECTION, "the endpoint in the options startup parameter ("
                    + fromOptions.get() + ") does not match the server name (" + fromSni.get() + ")");
        }
        Optional<String> named = fromSni.or(() -> fromOptions);
        if (named.isPresent() && fromPort.isPresent() && !named.equals(fromPort)) {
            throw new PgError(SqlState.REJECTED_CONNECTION, "endpoint " + named.get()
                    + " was requested on the port of endpoint " + fromPort.get());
        }
        return named.or(() -> fromPort);
    }

    /**
     * The host that stands for the SNI of a WebSocket client (TLS ends before the upgrade, so the request names the
     * endpoint): the host of the {@code ?address=} parameter of Neon's wsproxy form if it names one, else the Host
     * header, as Neon's proxy reads it. Both naming endpoints, and different ones, is refused.
     */
    Optional<String> webSocketServerName(Optional<String> hostHeader, Optional<String> addressHost) throws PgError {
        Optional<String> fromHost = hostHeader.flatMap(this::endpointFromServerName);
        Optional<String> fromAddress = addressHost.flatMap(this::endpointFromServerName);
        if (fromHost.isPresent() && fromAddress.isPresent() && !fromHost.equals(fromAddress)) {
            throw new PgError(SqlState.REJECTED_CONNECTION, "the endpoint in the address parameter ("
                    + fromAddress.get() + ") does not match the Host header (" + fromHost.get() + ")");
        }
        return fromAddress.isPresent() ? addressHost : hostHeader;
    }

    /** The endpoint id in an SNI host under the proxy domain; empty for other hosts (an IP, localhost). */
    Optional<String> endpointFromServerName(String serverName) {
        if (domain.isEmpty()) {
            return Optional.empty();
        }
        String host = serverName.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String suffix = "." + domain.get();
        if (!host.endsWith(suffix)) {
            return Optional.empty();
        }
        String label = host.substring(0, host.length() - suffix.length());
        if (label.isEmpty() || label.contains(".")) {
            return Optional.empty();
        }
        if (label.endsWith(POOLER_SUFFIX) && label.length() > POOLER_SUFFIX.length()) {
            label = label.substring(0, label.length() - POOLER_SUFFIX.length());
        }
        return Optional.of(label);
    }
}
