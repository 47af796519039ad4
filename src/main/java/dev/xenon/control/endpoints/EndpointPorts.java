package dev.xenon.control.endpoints;

import dev.xenon.control.DomainException;
import dev.xenon.control.model.EndpointStore;
import org.jdbi.v3.core.Handle;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Hands out endpoint ports (the proxy's per-endpoint listeners) from the configured range. A port is skipped while
 * an endpoint holds it (a live one, or a deleted one whose compute is still being stopped) and while anything on
 * this host has it bound (another program, or the proxy's listener of an endpoint deleted a moment ago). Running
 * out of ports is the caller's conflict, not a server fault.
 */
public final class EndpointPorts {
    /** Whether the port can be bound now, the way the proxy would bind it. */
    public interface Probe {
        boolean bindable(int port);
    }

    private final EndpointStore store;
    private final int first;
    private final int last;
    private final Probe probe;

    public EndpointPorts(EndpointStore store, int first, int last, Probe probe) {
        this.store = requireNonNull(store, "store is null");
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("endpoint port range " + first + "-" + last + " is not a valid range");
        }
        this.first = first;
        this.last = last;
        this.probe = requireNonNull(probe, "probe is null");
    }

    /**
     * Binds (and at once closes) a listening socket on the proxy's address with SO_REUSEADDR, like the proxy's own
     * listeners: it fails exactly when another socket would keep the proxy from listening there.
     */
    public static Probe bindingOn(InetAddress address) {
        requireNonNull(address, "address is null");
        return port -> {
            try (ServerSocket socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(address, port), 1);
                return true;
            } catch (IOException e) {
                return false;
            }
        };
    }

    /** The lowest free port of the range, inside the caller's transaction (which serialises allocation). */
    int allocate(Handle h) {
        store.lockPortAllocation(h);
        Set<Integer> held = store.heldPorts(h, first, last);
        int inUse = 0;
        for (int port = first; port <= last; port++) {
            if (held.contains(port)) {
                continue;
            }
            if (probe.bindable(port)) {
                return port;
            }
            inUse++;
        }
        throw DomainException.conflict("no endpoint port is free: of the " + (last - first + 1) + " ports "
                + first + "-" + last + ", " + held.size() + " belong to endpoints and " + inUse
                + " are in use by other programs; delete endpoints you no longer need, or start Xenon with a wider"
                + " --endpoint-ports range");
    }
}
