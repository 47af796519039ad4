package dev.xenon.proxy;

import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.websocket.HostAndPort;
import dev.xenon.proxy.websocket.HttpError;
import dev.xenon.proxy.websocket.HttpRequestHead;
import dev.xenon.proxy.websocket.HttpResponses;
import dev.xenon.proxy.websocket.WebSocketConnection;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The proxy's HTTPS port, where Neon serves its "serverless" protocols on the endpoint's host
 * (proxy/src/serverless/mod.rs): Postgres over a WebSocket, the serverless driver's {@code Pool} and
 * {@code Client}. Like Neon's proxy it takes a WebSocket upgrade on any path (the driver asks for {@code /v2}).
 * TLS uses the proxy's certificate; a plaintext request ({@code ws://}) is refused unless plaintext is allowed.
 *
 * <p>One request per connection, read byte-exact with the connection's own threads, so that an upgraded
 * connection continues as a {@link ClientSession} on the same socket, the same threads and the same start-up
 * timeout as a client over TCP. SQL over HTTP ({@code POST /sql}) is to be served from {@link #answer}.
 */
final class HttpsPort {
    private static final int BUFFER = 16 * 1024;

    private final ProxyServices services;

    HttpsPort(ProxyServices services) {
        this.services = requireNonNull(services, "services is null");
    }

    /** Reads the request on an accepted connection: an upgrade becomes a session to run; others are answered. */
    Optional<ClientSession> open(Socket tcp) throws IOException {
        tcp.setTcpNoDelay(true);
        tcp.setSoTimeout((int) services.config().startupTimeout().toMillis());
        PushbackInputStream raw = new PushbackInputStream(tcp.getInputStream(), 1);
        int first = raw.read();
        if (first < 0) {
            return Optional.empty();
        }
        Socket socket;
        InputStream in;
        OutputStream out;
        boolean tls = first == MessageTypes.TLS_HANDSHAKE_RECORD;
        if (tls) {
            socket = services.tls().acceptHttps(tcp, new ByteArrayInputStream(new byte[] {(byte) first}));
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } else {
            raw.unread(first);
            socket = tcp;
            in = raw;
            out = tcp.getOutputStream();
        }
        in = new BufferedInputStream(in, BUFFER);
        out = new BufferedOutputStream(out, BUFFER);
        try {
            if (!tls && services.config().requireTls()) {
                throw new HttpError(400, "this port speaks HTTPS only: connect with wss:// (useSecureWebSocket)");
            }
            HttpRequestHead head = HttpRequestHead.read(in);
            if (!HttpResponses.isWebSocketUpgrade(head)) {
                answer(head);
            }
            HttpResponses.acceptWebSocket(head, out);
            WebSocketConnection websocket = new WebSocketConnection(in, out);
            ClientTransport transport = new ClientTransport(tcp, socket, websocket.in(), websocket.out(), tls,
                    Optional.empty(), Optional.empty());
            return Optional.of(new ClientSession(tcp, new WebSocketTarget(websocket, transport, head.host(),
                    head.queryParameter("address").map(HostAndPort::parse)), services));
        } catch (HttpError e) {
            HttpResponses.error(out, e);
            return Optional.empty();
        }
    }

    /** Requests other than a WebSocket upgrade. SQL over HTTP ({@code POST /sql}) belongs here, once written. */
    private static void answer(HttpRequestHead head) throws HttpError {
        if (head.path().equals("/sql")) {
            throw new HttpError(404, "SQL over HTTP is not served yet: use Pool or Client over WebSocket");
        }
        throw new HttpError(404, "this port serves Postgres over WebSocket (wss://<host>:<port>/v2)");
    }
}
