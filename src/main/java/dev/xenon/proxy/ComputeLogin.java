package dev.xenon.proxy;

import dev.xenon.proxy.protocol.FrontendMessages;
import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;
import dev.xenon.proxy.protocol.Wire;
import dev.xenon.proxy.scram.ScramClient;
import dev.xenon.proxy.scram.ScramCredentials;
import dev.xenon.proxy.scram.ScramException;
import dev.xenon.proxy.scram.ScramServer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Opens the proxy's own connection to a compute as the client's role and database, authenticates with the
 * client's ClientKey (SCRAM-SHA-256, see {@link ScramClient}), and reads the compute's start-up answer up to
 * ReadyForQuery (<a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP">Start-up</a>).
 * An ErrorResponse from the compute (no such database, too many connections) reaches the client verbatim.
 */
final class ComputeLogin {
    private final Duration timeout;
    private final SecureRandom random;

    ComputeLogin(Duration timeout, SecureRandom random) {
        this.timeout = requireNonNull(timeout, "timeout is null");
        this.random = requireNonNull(random, "random is null");
    }

    ComputeSession open(ComputeAddress address, Map<String, String> parameters, ScramCredentials credentials)
            throws PgError {
        Socket socket = new Socket();
        boolean done = false;
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address.host(), address.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            InputStream in = new ReadAheadInputStream(socket.getInputStream(), 16 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
            Wire.writeStartupPacket(out, FrontendMessages.startup(parameters));
            out.flush();
            authenticate(in, out, credentials);
            ComputeSession session = readStartup(address, socket, in, out);
            socket.setSoTimeout(0);
            done = true;
            return session;
        } catch (IOException e) {
            throw new PgError(SqlState.CONNECTION_FAILURE, "could not connect to the compute at "
                    + address.host() + ":" + address.port() + ": " + e.getMessage());
        } catch (ScramException e) {
            throw new PgError(SqlState.CONNECTION_FAILURE, "could not log in to the compute: " + e.getMessage());
        } finally {
            if (!done) {
                closeQuietly(socket);
            }
        }
    }

    /** Follows the compute's Authentication requests until AuthenticationOk. */
    private void authenticate(InputStream in, OutputStream out, ScramCredentials credentials)
            throws IOException, PgError, ScramException {
        ScramClient scram = null;
        while (true) {
            Message message = readFromCompute(in);
            switch (message.authCode()) {
                case MessageTypes.AUTH_OK -> {
                    return;
                }
                case MessageTypes.AUTH_SASL -> {
                    PacketReader body = message.reader();
                    body.int32();
                    List<String> mechanisms = new ArrayList<>();
                    for (String name = body.cstring(); !name.isEmpty(); name = body.cstring()) {
                        mechanisms.add(name);
                    }
                    if (!mechanisms.contains(ScramServer.SCRAM_SHA_256)) {
                        throw new ScramException("the compute offers none of our SASL mechanisms: " + mechanisms);
                    }
                    scram = new ScramClient(credentials, random);
                    Wire.writeMessage(out, FrontendMessages.saslInitialResponse(ScramServer.SCRAM_SHA_256,
                            scram.clientFirst().getBytes(StandardCharsets.UTF_8)));
                    out.flush();
                }
                case MessageTypes.AUTH_SASL_CONTINUE -> {
                    String serverFirst = saslData(message);
                    Wire.writeMessage(out, FrontendMessages.saslResponse(
                            requireExchange(scram).clientFinal(serverFirst).getBytes(StandardCharsets.UTF_8)));
                    out.flush();
                }
                case MessageTypes.AUTH_SASL_FINAL -> requireExchange(scram).verifyServerFinal(saslData(message));
                case -1 -> throw unexpected(message);
                default -> throw new ScramException("the compute asks for authentication method "
                        + message.authCode() + "; the proxy logs in with SCRAM-SHA-256 only");
            }
        }
    }

    private static ComputeSession readStartup(ComputeAddress address, Socket socket, InputStream in,
                                              OutputStream out) throws IOException, PgError {
        List<Message> messages = new ArrayList<>();
        Optional<ComputeSession.BackendKey> key = Optional.empty();
        while (true) {
            Message message = readFromCompute(in);
            switch (message.type()) {
                case MessageTypes.BACKEND_KEY_DATA -> {
                    PacketReader body = message.reader();
                    key = Optional.of(new ComputeSession.BackendKey(body.int32(), body.int32()));
                }
                case MessageTypes.PARAMETER_STATUS, MessageTypes.NOTICE_RESPONSE -> messages.add(message);
                case MessageTypes.READY_FOR_QUERY -> {
                    messages.add(message);
                    return new ComputeSession(address, socket, in, out, List.copyOf(messages), key);
                }
                default -> throw unexpected(message);
            }
        }
    }

    /** Reads a message; an ErrorResponse becomes the client's error as it is. */
    private static Message readFromCompute(InputStream in) throws IOException, PgError {
        Message message = Wire.readMessage(in, Wire.MAX_BACKEND_STARTUP_MESSAGE);
        if (message.type() == MessageTypes.ERROR_RESPONSE) {
            throw PgError.forwarded(message.body());
        }
        return message;
    }

    private static String saslData(Message message) {
        return new String(message.body(), 4, message.body().length - 4, StandardCharsets.UTF_8);
    }

    private static ScramClient requireExchange(ScramClient scram) throws ScramException {
        if (scram == null) {
            throw new ScramException("the compute continued a SASL exchange that never started");
        }
        return scram;
    }

    private static PgError unexpected(Message message) {
        return new PgError(SqlState.PROTOCOL_VIOLATION,
                "unexpected message type " + (char) message.type() + " from the compute during start-up");
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing is all that is left to do with it.
        }
    }
}
