package dev.xenon.proxy;

import java.net.InetAddress;

/**
 * One entry of a project's IP allowlist, parsed by whoever feeds the {@link EndpointDirectory}: the proxy only asks
 * whether a client address falls inside it. IPv4 clients arrive unmapped (a.b.c.d, not ::ffff:a.b.c.d).
 */
@FunctionalInterface
public interface AddressRule {
    boolean matches(InetAddress address);
}
