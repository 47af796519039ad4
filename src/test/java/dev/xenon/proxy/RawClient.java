package dev.xenon.proxy;

import dev.xenon.proxy.protocol.FrontendMessages;
import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PacketWriter;
import dev.xenon.proxy.protocol.Wire;
import dev.xenon.proxy.scram.ScramClient;
import dev.xenon.proxy.scram.ScramCredentials;
import dev.xenon.proxy.scram.ScramKeys;
import dev.xenon.proxy.scram.ScramServer;
import dev.xenon.testing.TrustAll;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * A bare protocol client for what no installed client does: PostgreSQL 17 direct TLS (psql here is 15) and raw
 * negotiation packets. Its SCRAM login reuses the proxy's own ScramClient with a ClientKey derived from the password.
 */
final class RawClient implements AutoCloseable {
    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(Socket socket) throws IOException {
        this(socket, socket.getInputStream(), socket.getOutputStream());
    }

    /** The protocol over other streams on {@code socket}: a WebSocket's, say. */
    RawClient(Socket socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = in;
        this.out = out;
    }

    /** Direct TLS: the TLS handshake is the first thing on the connection; ALPN as given (null: none). */
    static RawClient directTls(int port, String alpn, String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        SSLParameters parameters = socket.getSSLParameters();
        if (alpn != null) {
            parameters.setApplicationProtocols(new String[] {alpn});
        }
        if (serverName != null) {
            parameters.setServerNames(List.of(new SNIHostName(serverName)));
        }
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return new RawClient(socket);
    }

    void startup(Map<String, String> parameters) throws IOException {
        Wire.writeStartupPacket(out, FrontendMessages.startup(parameters));
        out.flush();
    }

    void sendUntyped(int code) throws IOException {
        Wire.writeStartupPacket(out, new PacketWriter().int32(code).toByteArray());
        out.flush();
    }

    Message read() throws Exception {
        return Wire.readMessage(in, 1 << 20);
    }

    /** Answers SCRAM-SHA-256 with the password and reads up to ReadyForQuery; returns the first non-auth message. */
    Message login(String verifier, String password) throws Exception {
        ScramKeys keys = ScramKeys.parse(verifier).orElseThrow();
        ScramClient scram = new ScramClient(new ScramCredentials(keys, keys.clientKeyOf(password).orElseThrow()),
                new SecureRandom());
        while (true) {
            Message message = read();
            switch (message.authCode()) {
                case MessageTypes.AUTH_SASL -> Wire.writeMessage(out, FrontendMessages.saslInitialResponse(
                        ScramServer.SCRAM_SHA_256, scram.clientFirst().getBytes(StandardCharsets.UTF_8)));
                case MessageTypes.AUTH_SASL_CONTINUE -> Wire.writeMessage(out, FrontendMessages.saslResponse(
                        scram.clientFinal(text(message)).getBytes(StandardCharsets.UTF_8)));
                case MessageTypes.AUTH_SASL_FINAL -> scram.verifyServerFinal(text(message));
                case MessageTypes.AUTH_OK -> {
                }
                default -> {
                    return message;
                }
            }
            out.flush();
        }
    }

    /** Runs a simple query and returns the first column of the first row. */
    String queryOne(String sql) throws Exception {
        Wire.writeMessage(out, (byte) 'Q', new PacketWriter().cstring(sql).toByteArray());
        out.flush();
        String value = null;
        for (Message m = read(); m.type() != MessageTypes.READY_FOR_QUERY; m = read()) {
            if (m.type() == 'D' && value == null) {
                PacketReader row = m.reader();
                row.bytes(2);
                value = new String(row.bytes(row.int32()), StandardCharsets.UTF_8);
            }
        }
        return value;
    }

    private static String text(Message message) {
        return new String(message.body(), 4, message.body().length - 4, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
