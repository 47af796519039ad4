package dev.xenon.proxy;

import static java.util.Objects.requireNonNull;

/**
 * Where a running compute listens. No credentials: the proxy logs in as the client's own role with the SCRAM
 * ClientKey the client proved to it, so the compute needs no trust rule and no proxy superuser.
 */
public record ComputeAddress(String host, int port) {
    public ComputeAddress {
        requireNonNull(host, "host is null");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
    }
}
