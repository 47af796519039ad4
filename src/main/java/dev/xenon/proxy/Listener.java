package dev.xenon.proxy;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.OptionalInt;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/** One listening port: accepts connections and hands each to a new virtual thread. */
final class Listener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);
    private static final int BACKLOG = 512;

    private final ServerSocket server;
    private final OptionalInt endpointPort;
    private final Thread acceptor;

    /**
     * @param forEndpoint whether this is an endpoint's own port rather than the main port
     * @param onAccept     runs on the connection's own virtual thread
     */
    Listener(InetAddress address, int port, boolean forEndpoint, Consumer<Accepted> onAccept) {
        requireNonNull(onAccept, "onAccept is null");
        try {
            server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port), BACKLOG);
        } catch (IOException e) {
            throw new UncheckedIOException("while binding the proxy to " + address.getHostAddress() + ":" + port, e);
        }
        this.endpointPort = forEndpoint ? OptionalInt.of(server.getLocalPort()) : OptionalInt.empty();
        this.acceptor = Thread.ofVirtual().name("proxy-accept-" + server.getLocalPort()).start(() -> acceptLoop(onAccept));
    }

    /** An accepted connection and the endpoint port it came in on. */
    record Accepted(Socket socket, OptionalInt endpointPort) {
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bound and accepting: the accept loop ends for good on an error other than being closed. */
    boolean accepting() {
        return server.isBound() && !server.isClosed() && acceptor.isAlive();
    }

    private void acceptLoop(Consumer<Accepted> onAccept) {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    LOG.warn("the proxy stops accepting on port {}: {}", server.getLocalPort(), e.toString());
                }
                return;
            }
            Accepted accepted = new Accepted(socket, endpointPort);
            Thread.ofVirtual().name("proxy-client").start(() -> onAccept.accept(accepted));
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.debug("while closing the proxy listener on port {}", server.getLocalPort(), e);
        }
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
