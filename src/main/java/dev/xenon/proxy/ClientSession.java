package dev.xenon.proxy;

import dev.xenon.proxy.protocol.BackendMessages;
import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;
import dev.xenon.proxy.scram.ScramCredentials;
import dev.xenon.proxy.websocket.HostAndPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.util.Optional;
import java.util.OptionalInt;

import static java.util.Objects.requireNonNull;

/**
 * One client connection, start to end. The states, in order:
 * <ol>
 * <li>NEGOTIATING: encryption and the StartupMessage, or a CancelRequest ({@link Negotiation});</li>
 * <li>ROUTING: which endpoint, and may this address use it ({@link EndpointRouter}, {@link AccessPolicy});</li>
 * <li>AUTHENTICATING: SCRAM against the role's verifier, or a cleartext password carrying the endpoint
 *     ({@link ClientAuthenticator}, {@link PasswordHack});</li>
 * <li>CONNECTING: wake the compute and log in to it with the client's ClientKey ({@link ComputeLogin});</li>
 * <li>RELAYING: AuthenticationOk and the compute's start-up answer, then bytes both ways ({@link Relay}).</li>
 * </ol>
 * Any refusal before RELAYING is one FATAL ErrorResponse and the end of the connection.
 *
 * <p>A client over a WebSocket ({@link HttpsPort}) goes through the same states, with Neon's differences: no
 * encryption inside (the WebSocket's TLS covers it), the endpoint named by the upgrade request (Host header,
 * {@code ?address=}) as well as by options or password, and a cleartext password rather than SCRAM.
 */
final class ClientSession implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

    private final Socket tcp;
    private final OptionalInt endpointPort;
    private final ProxyServices services;
    /** Null for a client over TCP. */
    private final WebSocketTarget websocket;

    private volatile Socket computeSocket;
    private volatile String endpointId;

    /** @param endpointPort the endpoint port that accepted this connection; empty for the main port */
    ClientSession(Socket tcp, OptionalInt endpointPort, ProxyServices services) {
        this.tcp = requireNonNull(tcp, "tcp is null");
        this.endpointPort = requireNonNull(endpointPort, "endpointPort is null");
        this.services = requireNonNull(services, "services is null");
        this.websocket = null;
    }

    /** A client over a WebSocket whose upgrade the HTTPS port accepted on {@code tcp}. */
    ClientSession(Socket tcp, WebSocketTarget websocket, ProxyServices services) {
        this.tcp = requireNonNull(tcp, "tcp is null");
        this.endpointPort = OptionalInt.empty();
        this.services = requireNonNull(services, "services is null");
        this.websocket = requireNonNull(websocket, "websocket is null");
    }

    /** The endpoint this session was routed to, once known. */
    Optional<String> endpointId() {
        return Optional.ofNullable(endpointId);
    }

    @Override
    public void run() {
        ClientTransport client = null;
        Negotiation negotiation = new Negotiation(services.tls());
        try {
            tcp.setTcpNoDelay(true);
            tcp.setSoTimeout((int) services.config().startupTimeout().toMillis());
            Negotiation.Outcome outcome = websocket == null ? negotiation.run(tcp)
                    : negotiation.runInside(websocket.transport());
            switch (outcome) {
                case Negotiation.Cancel cancel -> services.cancelKeys().cancel(cancel.processId(), cancel.secretKey());
                case Negotiation.Startup startup -> {
                    client = startup.transport();
                    serve(client, startup.message());
                }
            }
        } catch (PgError e) {
            LOG.debug("refused a connection from {}: {}", tcp.getInetAddress(), e.getMessage());
            // Before the StartupMessage, an ErrorResponse on whatever layer is up is still what clients understand.
            Optional.ofNullable(client).or(negotiation::current).ifPresent(c -> c.sendError(e));
        } catch (IOException e) {
            LOG.debug("connection from {} ended: {}", tcp.getInetAddress(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (DirectoryUnavailable e) {
            LOG.debug("refused a connection from {}: {}", tcp.getInetAddress(), e.getMessage());
            if (client != null) {
                client.sendError(new PgError(SqlState.CANNOT_CONNECT_NOW, e.getMessage()));
            }
        } catch (RuntimeException e) {
            LOG.warn("proxy session from {} failed", tcp.getInetAddress(), e);
            if (client != null) {
                client.sendError(new PgError(SqlState.INTERNAL_ERROR, "internal proxy error"));
            }
        } finally {
            if (websocket != null) {
                websocket.closeQuietly();
            }
            close();
        }
    }

    /** Ends the connection from outside (server shutdown, endpoint deleted). */
    void close() {
        ComputeLogin.closeQuietly(tcp);
        Socket compute = computeSocket;
        if (compute != null) {
            ComputeLogin.closeQuietly(compute);
        }
    }

    private void serve(ClientTransport client, StartupMessage startup)
            throws IOException, PgError, InterruptedException {
        if (startup.needsNegotiation()) {
            client.send(BackendMessages.negotiateProtocolVersion(0, startup.protocolOptions()));
        }
        if (services.config().requireTls() && !client.tls()) {
            // Neon's proxy words it this way; 28000 is what Postgres answers when pg_hba.conf allows hostssl only.
            throw new PgError(SqlState.INVALID_AUTHORIZATION, "connection is insecure (try using `sslmode=require`)",
                    "This server accepts TLS connections only; connect with sslmode=require or stricter.");
        }
        EndpointOptions options = EndpointOptions.parse(startup.options());
        Optional<String> routed = route(client, options);
        String role = startup.user();
        ScramCredentials credentials;
        String id;
        if (routed.isPresent()) {
            id = routed.get();
            admit(client, id);
            credentials = websocket != null ? services.authenticator().cleartext(client, id, role)
                    : services.authenticator().scram(client, id, role);
        } else {
            PasswordHack hack = passwordHack(client);
            id = hack.endpointId();
            admit(client, id);
            credentials = services.authenticator().checkPassword(client, id, role, hack.password());
        }

        ComputeAddress address;
        try {
            address = services.wakes().wake(id);
        } catch (ComputeUnavailable e) {
            throw new PgError(SqlState.CANNOT_CONNECT_NOW,
                    "could not start the compute of endpoint " + id + ": " + e.getMessage());
        }
        ComputeSession compute = services.computeLogin().open(address, startup.forCompute(options.remaining()),
                credentials);
        computeSocket = compute.socket();
        relay(client, compute, id);
    }

    private Optional<String> route(ClientTransport client, EndpointOptions options) throws PgError {
        EndpointRouter router = services.router();
        if (websocket == null) {
            return router.route(client.serverName(), options.endpointId(), portEndpoint());
        }
        Optional<String> serverName = router.webSocketServerName(websocket.hostHeader(),
                websocket.address().map(HostAndPort::host));
        boolean named = serverName.flatMap(router::endpointFromServerName).or(options::endpointId).isPresent();
        return router.route(serverName, options.endpointId(), addressPortEndpoint(named));
    }

    /**
     * The endpoint whose own proxy port the {@code ?address=} names (local mode: the port in its URI). A port no
     * endpoint holds is ignored when the host or options name the endpoint (the address may name the main port, or
     * 443), and refused otherwise, as a connection to that port would be.
     */
    private Optional<String> addressPortEndpoint(boolean named) throws PgError {
        OptionalInt port = websocket.address().map(HostAndPort::port).orElse(OptionalInt.empty());
        if (port.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> holder = services.directory().byPort(port.getAsInt()).map(EndpointInfo::endpointId);
        if (holder.isEmpty() && !named) {
            throw new PgError(SqlState.REJECTED_CONNECTION, "no endpoint uses port " + port.getAsInt());
        }
        return holder;
    }

    private Optional<String> portEndpoint() throws PgError {
        if (endpointPort.isEmpty()) {
            return Optional.empty();
        }
        int port = endpointPort.getAsInt();
        return Optional.of(services.directory().byPort(port).map(EndpointInfo::endpointId).orElseThrow(
                () -> new PgError(SqlState.REJECTED_CONNECTION, "no endpoint uses port " + port)));
    }

    /** No endpoint named before authentication: it must come with the password, so ask for it in cleartext. */
    private PasswordHack passwordHack(ClientTransport client) throws IOException, PgError {
        if (!client.tls()) {
            // A cleartext password must not cross the network unencrypted; SCRAM would need the endpoint first.
            throw endpointNotSpecified();
        }
        String password = services.authenticator().requestPassword(client);
        return PasswordHack.parse(password).orElseThrow(ClientSession::endpointNotSpecified);
    }

    private void admit(ClientTransport client, String id) throws PgError {
        endpointId = id;
        EndpointInfo endpoint = services.directory().byId(id).orElseThrow(() -> new PgError(
                SqlState.REJECTED_CONNECTION, "endpoint " + id + " not found"));
        AccessPolicy.admit(endpoint, client.remoteAddress());
    }

    private void relay(ClientTransport client, ComputeSession compute, String id)
            throws IOException, InterruptedException {
        CancelKeys.Key key = compute.backendKey().map(k -> services.cancelKeys().issue(compute.address(), k))
                .orElse(null);
        services.directory().sessionOpened(id);
        long bytes = 0;
        try {
            client.send(BackendMessages.authenticationOk());
            for (Message message : compute.startupMessages()) {
                if (message.type() == MessageTypes.READY_FOR_QUERY && key != null) {
                    // BackendKeyData comes before ReadyForQuery (protocol-flow.html#PROTOCOL-FLOW-START-UP).
                    client.send(BackendMessages.backendKeyData(key.processId(), key.secretKey()));
                }
                client.send(message);
            }
            client.flush();
            tcp.setSoTimeout(0);
            bytes = Relay.run(client.in(), compute.out(), compute.in(), client.out(),
                    () -> endOutput(client), this::close);
        } finally {
            if (key != null) {
                services.cancelKeys().release(key);
            }
            services.directory().sessionClosed(id, bytes);
        }
    }

    private static PgError endpointNotSpecified() {
        return new PgError(SqlState.REJECTED_CONNECTION, "endpoint ID is not specified",
                "Connect to ep-<id>.<proxy domain> with a client that sends SNI, set options=endpoint=<id>, "
                        + "or send the password as endpoint=<id>;<password>.");
    }

    private void endOutput(ClientTransport client) {
        if (websocket != null) {
            websocket.closeQuietly();
        }
        shutdownOutput(client.socket());
    }

    private static void shutdownOutput(Socket socket) {
        try {
            // On TLS this sends close_notify, so the client sees a clean end of the stream.
            socket.shutdownOutput();
        } catch (IOException | UnsupportedOperationException e) {
            // Closing both sockets right after is the fallback.
        }
    }
}
