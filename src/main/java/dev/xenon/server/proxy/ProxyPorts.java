package dev.xenon.server.proxy;

import dev.xenon.control.endpoints.EndpointPorts;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.proxy.ProxyServer;
import dev.xenon.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the proxy listening on exactly the ports of live endpoints: called after every change that may add or
 * remove an endpoint, and periodically for changes made by another server sharing the metadata store. Ports are
 * handed out only when bindable ({@link EndpointPorts}), but another socket may take one before the proxy binds it
 * (the local end of some outgoing connection, since the default range lies in Linux's ephemeral range): such a
 * port does not keep the others from being bound, and is tried again next time.
 */
public final class ProxyPorts implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyPorts.class);

    private final Db db;
    private final EndpointStore endpoints;
    private final ProxyServer proxy;

    private final ReentrantLock lock = new ReentrantLock();

    public ProxyPorts(Db db, EndpointStore endpoints, ProxyServer proxy) {
        this.db = requireNonNull(db, "db is null");
        this.endpoints = endpoints;
        this.proxy = proxy;
    }

    @Override
    public void run() {
        // A lock, not synchronized: this runs on request threads after commit, and reads the store while it holds
        // the lock; a virtual thread blocked in a monitor would pin its carrier (JDK 21-23).
        lock.lock();
        try {
            sync();
        } finally {
            lock.unlock();
        }
    }

    private void sync() {
        Set<Integer> wanted = new HashSet<>(db.read(endpoints::livePorts));
        Set<Integer> current = new HashSet<>(proxy.endpointPorts());
        for (int port : current) {
            if (!wanted.contains(port)) {
                proxy.removeEndpointPort(port);
            }
        }
        for (int port : wanted) {
            if (!current.contains(port)) {
                try {
                    proxy.addEndpointPort(port);
                } catch (UncheckedIOException e) {
                    LOG.warn("the proxy cannot listen on endpoint port {} yet ({}); retrying with the next change or"
                            + " within seconds", port, e.getCause() == null ? e.toString() : e.getCause().toString());
                }
            }
        }
    }
}
