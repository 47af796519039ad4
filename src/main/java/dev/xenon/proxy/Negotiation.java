package dev.xenon.proxy;

import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;
import dev.xenon.proxy.protocol.Wire;
import dev.xenon.proxy.tls.TlsIdentity;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSocket;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The first phase of a client connection, up to its StartupMessage: TLS by SSLRequest or direct TLS, GSSAPI
 * encryption refused, and CancelRequest recognised
 * (<a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP">Start-up</a>,
 * <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL">SSL Session Encryption</a>,
 * <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS">Canceling Requests</a>).
 */
final class Negotiation {
    /** What the client's first packets amount to. */
    sealed interface Outcome {
    }

    record Startup(ClientTransport transport, StartupMessage message) implements Outcome {
    }

    record Cancel(int processId, int secretKey) implements Outcome {
    }

    private final TlsIdentity tls;
    private ClientTransport current;

    Negotiation(TlsIdentity tls) {
        this.tls = requireNonNull(tls, "tls is null");
    }

    /** The streams in use so far (plain, or TLS once negotiated), to send an error on; empty before any. */
    Optional<ClientTransport> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Reads packets until a StartupMessage or CancelRequest. Until TLS is on, reads byte-exact from the socket:
     * bytes read ahead of an SSLRequest would be plaintext a man in the middle injected (CVE-2021-23214).
     */
    Outcome run(Socket tcp) throws IOException, PgError {
        PushbackInputStream rawIn = new PushbackInputStream(tcp.getInputStream(), 1);
        OutputStream rawOut = tcp.getOutputStream();
        int first = rawIn.read();
        if (first < 0) {
            throw new EOFException("the client closed the connection before sending anything");
        }
        ClientTransport transport;
        if (first == MessageTypes.TLS_HANDSHAKE_RECORD) {
            transport = encrypt(tcp, new ByteArrayInputStream(new byte[] {(byte) first}), true);
        } else {
            rawIn.unread(first);
            transport = new ClientTransport(tcp, tcp, rawIn, rawOut, false, Optional.empty(), Optional.empty());
            current = transport;
        }
        while (true) {
            PacketReader packet = new PacketReader(Wire.readStartupPacket(transport.in()));
            int code = packet.int32();
            switch (code) {
                case MessageTypes.SSL_REQUEST -> {
                    if (transport.tls()) {
                        throw new PgError(SqlState.PROTOCOL_VIOLATION, "SSLRequest on an encrypted connection");
                    }
                    rawOut.write(MessageTypes.SSL_ACCEPTED);
                    rawOut.flush();
                    transport = encrypt(tcp, null, false);
                }
                case MessageTypes.GSSENC_REQUEST -> {
                    if (transport.tls()) {
                        throw new PgError(SqlState.PROTOCOL_VIOLATION, "GSSENCRequest on an encrypted connection");
                    }
                    rawOut.write(MessageTypes.ENCRYPTION_REFUSED);
                    rawOut.flush();
                }
                case MessageTypes.CANCEL_REQUEST -> {
                    return new Cancel(packet.int32(), packet.int32());
                }
                default -> {
                    return new Startup(buffered(transport), startupMessage(code, packet));
                }
            }
        }
    }

    /**
     * The same inside a WebSocket, which its own TLS encrypts already (Neon's proxy hands the handshake no TLS
     * config for one): an SSLRequest or GSSENCRequest is answered 'N', once each, and the StartupMessage follows.
     */
    Outcome runInside(ClientTransport transport) throws IOException, PgError {
        current = requireNonNull(transport, "transport is null");
        boolean refusedSsl = false;
        boolean refusedGss = false;
        while (true) {
            PacketReader packet = new PacketReader(Wire.readStartupPacket(transport.in()));
            int code = packet.int32();
            switch (code) {
                case MessageTypes.SSL_REQUEST, MessageTypes.GSSENC_REQUEST -> {
                    boolean ssl = code == MessageTypes.SSL_REQUEST;
                    if (ssl ? refusedSsl : refusedGss) {
                        throw new PgError(SqlState.PROTOCOL_VIOLATION, "encryption requested twice");
                    }
                    refusedSsl |= ssl;
                    refusedGss |= !ssl;
                    transport.out().write(MessageTypes.ENCRYPTION_REFUSED);
                    transport.flush();
                }
                case MessageTypes.CANCEL_REQUEST -> {
                    return new Cancel(packet.int32(), packet.int32());
                }
                default -> {
                    return new Startup(transport, startupMessage(code, packet));
                }
            }
        }
    }

    private static StartupMessage startupMessage(int code, PacketReader packet) throws PgError {
        if (!StartupMessage.isProtocol3(code)) {
            throw new PgError(SqlState.FEATURE_NOT_SUPPORTED, "unsupported frontend protocol "
                    + (code >>> 16) + "." + (code & 0xffff) + ": server supports 3.0 to 3.0");
        }
        return StartupMessage.parse(code, packet);
    }

    private ClientTransport encrypt(Socket tcp, InputStream consumed, boolean direct) throws IOException, PgError {
        SSLSocket socket = tls.accept(tcp, consumed);
        current = new ClientTransport(tcp, socket, socket.getInputStream(), socket.getOutputStream(), true,
                serverName(socket), tls.channelBinding());
        String alpn = socket.getApplicationProtocol();
        if (direct && !MessageTypes.ALPN_POSTGRESQL.equals(alpn)) {
            // Postgres refuses direct TLS without ALPN: it keeps other protocols from being confused with ours.
            throw new PgError(SqlState.PROTOCOL_VIOLATION,
                    "received direct SSL connection request without ALPN protocol negotiation extension");
        }
        return current;
    }

    private static Optional<String> serverName(SSLSocket socket) {
        if (!(socket.getSession() instanceof ExtendedSSLSession session)) {
            return Optional.empty();
        }
        for (SNIServerName name : session.getRequestedServerNames()) {
            if (name instanceof SNIHostName host) {
                return Optional.of(host.getAsciiName());
            }
        }
        return Optional.empty();
    }

    /** Once the StartupMessage is in, no layer can come between us and the socket: buffering is safe. */
    private static ClientTransport buffered(ClientTransport t) {
        return new ClientTransport(t.tcp(), t.socket(), new ReadAheadInputStream(t.in(), 16 * 1024),
                new BufferedOutputStream(t.out(), 16 * 1024), t.tls(), t.serverName(), t.channelBinding());
    }
}
