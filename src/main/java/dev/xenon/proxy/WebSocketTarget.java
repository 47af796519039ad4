package dev.xenon.proxy;

import dev.xenon.proxy.websocket.HostAndPort;
import dev.xenon.proxy.websocket.WebSocketConnection;

import java.io.IOException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A client that came in over a WebSocket: its streams, and where its upgrade request asked to go.
 *
 * @param transport  the Postgres protocol inside the WebSocket
 * @param hostHeader the host of the request's Host header
 * @param address    the {@code ?address=host:port} of Neon's wsproxy form (the serverless driver appends it to a
 *                   {@code wsProxy} string): in local mode its port is the endpoint's own proxy port
 */
record WebSocketTarget(WebSocketConnection connection, ClientTransport transport, Optional<String> hostHeader,
                       Optional<HostAndPort> address) {
    WebSocketTarget {
        requireNonNull(connection, "connection is null");
        requireNonNull(transport, "transport is null");
        requireNonNull(hostHeader, "hostHeader is null");
        requireNonNull(address, "address is null");
    }

    /** Sends the WebSocket Close frame if none was, so the client sees a clean end rather than a dropped socket. */
    void closeQuietly() {
        try {
            connection.close(WebSocketConnection.NORMAL_CLOSURE);
        } catch (IOException e) {
            // The client has gone already.
        }
    }
}
