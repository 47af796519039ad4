package dev.xenon.proxy;

import dev.xenon.proxy.protocol.BackendMessages;
import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.Wire;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Optional;

/**
 * A client connection after encryption is settled: the streams to use from now on, and what TLS told us.
 *
 * @param tcp            the accepted TCP socket; closing it ends the connection whatever layer is above
 * @param socket         the socket carrying messages: a TLS socket over {@code tcp}, or {@code tcp} itself
 * @param serverName     the TLS SNI host name the client asked for
 * @param channelBinding tls-server-end-point data when SCRAM-SHA-256-PLUS can be offered
 */
record ClientTransport(Socket tcp, Socket socket, InputStream in, OutputStream out, boolean tls,
                       Optional<String> serverName, Optional<byte[]> channelBinding) {

    InetAddress remoteAddress() {
        return tcp.getInetAddress();
    }

    void send(Message message) throws IOException {
        Wire.writeMessage(out, message);
    }

    void flush() throws IOException {
        out.flush();
    }

    /** Sends a FATAL ErrorResponse; the caller closes the connection next. */
    void sendError(PgError error) {
        try {
            send(BackendMessages.errorResponse(error));
            flush();
        } catch (IOException e) {
            // The client has gone already; nothing left to tell it.
        }
    }
}
