package dev.xenon.proxy;

import dev.xenon.proxy.protocol.BackendMessages;
import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;
import dev.xenon.proxy.protocol.Wire;
import dev.xenon.proxy.scram.ScramCredentials;
import dev.xenon.proxy.scram.ScramKeys;
import dev.xenon.proxy.scram.ScramServer;
import dev.xenon.throttle.FailureThrottle;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Authenticates the client against the role's SCRAM verifier, the way Postgres would
 * (<a href="https://www.postgresql.org/docs/current/sasl-authentication.html">SASL Authentication</a>,
 * <a href="https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-START-UP">Start-up</a>).
 * Either way the result is the role's ClientKey, which the proxy then uses to log in to the compute. Both ways
 * count failures against one login throttle, so repeated wrong passwords are refused before they are checked.
 */
final class ClientAuthenticator {
    private final EndpointDirectory directory;
    private final byte[] mockSecret;
    private final SecureRandom random;
    private final FailureThrottle loginFailures;

    /** @param mockSecret keys the fake salts of roles that do not exist, so they look like real ones */
    ClientAuthenticator(EndpointDirectory directory, byte[] mockSecret, SecureRandom random,
                        FailureThrottle loginFailures) {
        this.directory = requireNonNull(directory, "directory is null");
        this.mockSecret = mockSecret.clone();
        this.random = requireNonNull(random, "random is null");
        this.loginFailures = requireNonNull(loginFailures, "loginFailures is null");
    }

    /**
     * SCRAM-SHA-256, or SCRAM-SHA-256-PLUS on TLS: AuthenticationSASL, SASLInitialResponse, AuthenticationSASLContinue,
     * SASLResponse, AuthenticationSASLFinal. The caller sends AuthenticationOk once the compute accepted us too.
     */
    ScramCredentials scram(ClientTransport client, String endpointId, String role) throws IOException, PgError {
        return throttled(client, endpointId, role, () -> scramExchange(client, endpointId, role));
    }

    private ScramCredentials scramExchange(ClientTransport client, String endpointId, String role)
            throws IOException, PgError {
        ScramKeys keys = verifier(endpointId, role).orElseGet(() -> ScramKeys.mock(role, mockSecret));
        Optional<byte[]> binding = client.channelBinding();
        List<String> mechanisms = binding.isPresent()
                ? List.of(ScramServer.SCRAM_SHA_256_PLUS, ScramServer.SCRAM_SHA_256)
                : List.of(ScramServer.SCRAM_SHA_256);
        client.send(BackendMessages.authenticationSasl(mechanisms));
        client.flush();

        PacketReader initial = readPasswordMessage(client).reader();
        String mechanism = initial.cstring();
        if (!mechanisms.contains(mechanism)) {
            throw new PgError(SqlState.PROTOCOL_VIOLATION, "client selected an invalid SASL authentication mechanism");
        }
        int length = initial.int32();
        if (length < 0) {
            throw new PgError(SqlState.PROTOCOL_VIOLATION, "SCRAM needs an initial client response");
        }
        String clientFirst = utf8(initial.bytes(length));
        ScramServer server = new ScramServer(mechanism, keys, binding, role, random);
        client.send(BackendMessages.authenticationSaslContinue(ascii(server.serverFirst(clientFirst))));
        client.flush();

        String clientFinal = utf8(readPasswordMessage(client).body());
        String serverFinal = server.serverFinal(clientFinal);
        client.send(BackendMessages.authenticationSaslFinal(ascii(serverFinal)));
        client.flush();
        return server.credentials();
    }

    /**
     * Cleartext password authentication, which Neon's proxy uses for WebSocket clients (hacks.rs,
     * authenticate_cleartext): one round trip fewer than SCRAM and no PBKDF2 on the client, with the password inside
     * the WebSocket's TLS. A client that pipelines its start-up (the serverless driver's {@code pipelineConnect})
     * has sent the password already; it is simply the next message.
     */
    ScramCredentials cleartext(ClientTransport client, String endpointId, String role) throws IOException, PgError {
        return throttled(client, endpointId, role, () -> clientKeyOf(endpointId, role, requestPassword(client)));
    }

    /** Asks for the password in cleartext (AuthenticationCleartextPassword) and returns what the client sent. */
    String requestPassword(ClientTransport client) throws IOException, PgError {
        client.send(BackendMessages.authenticationCleartextPassword());
        client.flush();
        PacketReader message = readPasswordMessage(client).reader();
        return message.cstring();
    }

    /** Checks a cleartext password against the role's verifier and derives the ClientKey from it. */
    ScramCredentials checkPassword(ClientTransport client, String endpointId, String role, String password)
            throws IOException, PgError {
        return throttled(client, endpointId, role, () -> clientKeyOf(endpointId, role, password));
    }

    private ScramCredentials clientKeyOf(String endpointId, String role, String password) throws PgError {
        Optional<ScramKeys> keys = verifier(endpointId, role);
        Optional<byte[]> clientKey = keys.flatMap(k -> k.clientKeyOf(password));
        if (clientKey.isEmpty()) {
            throw wrongPassword(role);
        }
        return new ScramCredentials(keys.get(), clientKey.get());
    }

    /**
     * Refuses the attempt, without looking at the password, while this role at this endpoint has failed too often
     * from this address; otherwise runs it and counts a wrong password against that key.
     */
    private ScramCredentials throttled(ClientTransport client, String endpointId, String role,
                                       Authentication authentication) throws IOException, PgError {
        String attempt = endpointId + "\0" + role + "\0" + client.remoteAddress().getHostAddress();
        Optional<Duration> wait = loginFailures.refusedFor(attempt);
        if (wait.isPresent()) {
            long seconds = FailureThrottle.seconds(wait.get());
            throw new PgError(SqlState.TOO_MANY_CONNECTIONS, "too many failed authentication attempts for user \""
                    + role + "\" from this address; try again in " + seconds + " s");
        }
        try {
            ScramCredentials credentials = authentication.run();
            loginFailures.succeeded(attempt);
            return credentials;
        } catch (PgError e) {
            if (e.state().filter(SqlState.INVALID_PASSWORD::equals).isPresent()) {
                loginFailures.failed(attempt);
            }
            throw e;
        }
    }

    @FunctionalInterface
    private interface Authentication {
        ScramCredentials run() throws IOException, PgError;
    }

    private Optional<ScramKeys> verifier(String endpointId, String role) {
        return directory.scramVerifier(endpointId, role).flatMap(ScramKeys::parse);
    }

    private static Message readPasswordMessage(ClientTransport client) throws IOException, PgError {
        Message message = Wire.readMessage(client.in(), Wire.MAX_AUTH_MESSAGE);
        if (message.type() == MessageTypes.TERMINATE) {
            throw new EOFException("the client gave up during authentication");
        }
        if (message.type() != MessageTypes.PASSWORD_MESSAGE) {
            throw new PgError(SqlState.PROTOCOL_VIOLATION,
                    "expected a password response, got message type " + (char) message.type());
        }
        return message;
    }

    static PgError wrongPassword(String role) {
        return new PgError(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + role + "\"");
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
