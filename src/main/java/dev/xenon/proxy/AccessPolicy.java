package dev.xenon.proxy;

import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Whether an endpoint takes connections at all, and from this address: disabled endpoints and the IP allowlist. */
final class AccessPolicy {
    private AccessPolicy() {
    }

    static void admit(EndpointInfo endpoint, InetAddress client) throws PgError {
        if (endpoint.disabled()) {
            throw new PgError(SqlState.REJECTED_CONNECTION, "endpoint " + endpoint.endpointId() + " is disabled",
                    "Enable it through the API and retry.");
        }
        if (!endpoint.allowlistApplies()) {
            return;
        }
        InetAddress address = unmapped(client);
        for (AddressRule rule : endpoint.allowlist()) {
            if (rule.matches(address)) {
                return;
            }
        }
        throw new PgError(SqlState.INVALID_AUTHORIZATION, "connection from IP address " + address.getHostAddress()
                + " is not allowed by the IP allowlist of project " + endpoint.projectId());
    }

    /** An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d; allowlists name it as a.b.c.d. */
    static InetAddress unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && bytes.length == 16 && isV4Mapped(bytes)) {
            try {
                return InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }
        return address;
    }

    private static boolean isV4Mapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }
}
