package dev.xenon.proxy.scram;

import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The server side of one SCRAM-SHA-256(-PLUS) exchange (RFC 5802 sections 3, 5 and 7; RFC 7677), as Postgres runs
 * it ("SASL Authentication", https://www.postgresql.org/docs/current/sasl-authentication.html): the user name in
 * the client-first-message is ignored, an authorization identity is refused, and channel binding is
 * tls-server-end-point (RFC 5929 section 4). Beyond checking the proof it recovers the client's ClientKey:
 * ClientProof = ClientKey XOR ClientSignature (RFC 5802 section 3), so ClientKey = ClientProof XOR ClientSignature.
 */
public final class ScramServer {
    public static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    public static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";
    private static final String CHANNEL_BINDING_TYPE = "tls-server-end-point";
    // Postgres' SCRAM_RAW_NONCE_LEN.
    private static final int NONCE_BYTES = 18;

    private final String mechanism;
    private final ScramKeys keys;
    private final Optional<byte[]> channelBinding;
    private final String role;
    private final SecureRandom random;

    private String gs2Header;
    private String clientFirstBare;
    private String serverFirst;
    private String nonce;
    private byte[] clientKey;

    /**
     * @param channelBinding the tls-server-end-point data of this connection when the -PLUS mechanism was offered
     *                       (a TLS connection), empty otherwise
     */
    public ScramServer(String mechanism, ScramKeys keys, Optional<byte[]> channelBinding, String role,
                       SecureRandom random) throws PgError {
        this.mechanism = requireNonNull(mechanism, "mechanism is null");
        this.keys = requireNonNull(keys, "keys is null");
        this.channelBinding = requireNonNull(channelBinding, "channelBinding is null");
        this.role = requireNonNull(role, "role is null");
        this.random = requireNonNull(random, "random is null");
        boolean plus = mechanism.equals(SCRAM_SHA_256_PLUS);
        if (!plus && !mechanism.equals(SCRAM_SHA_256) || plus && channelBinding.isEmpty()) {
            throw violation("client selected an invalid SASL authentication mechanism");
        }
    }

    /** Reads the client-first-message and answers the server-first-message (RFC 5802 section 7). */
    public String serverFirst(String clientFirst) throws PgError {
        // gs2-header = gs2-cbind-flag "," [ authzid ] ","
        int flagEnd = clientFirst.indexOf(',');
        int authzEnd = flagEnd < 0 ? -1 : clientFirst.indexOf(',', flagEnd + 1);
        if (authzEnd < 0) {
            throw violation("malformed SCRAM message (no GS2 header)");
        }
        String flag = clientFirst.substring(0, flagEnd);
        if (authzEnd != flagEnd + 1) {
            throw violation("client uses authorization identity, but it is not supported");
        }
        checkChannelBindingFlag(flag);
        gs2Header = clientFirst.substring(0, authzEnd + 1);
        clientFirstBare = clientFirst.substring(authzEnd + 1);

        // client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
        String[] attributes = clientFirstBare.split(",", -1);
        if (attributes[0].startsWith("m=")) {
            throw violation("client requires an unsupported SCRAM extension");
        }
        if (attributes.length < 2 || !attributes[0].startsWith("n=") || !attributes[1].startsWith("r=")) {
            throw violation("malformed SCRAM message (expected username and nonce)");
        }
        String clientNonce = attributes[1].substring(2);
        if (clientNonce.isEmpty() || !clientNonce.chars().allMatch(c -> c >= 0x21 && c <= 0x7e)) {
            throw violation("malformed SCRAM message (invalid nonce)");
        }
        byte[] serverNonce = new byte[NONCE_BYTES];
        random.nextBytes(serverNonce);
        nonce = clientNonce + Base64.getEncoder().encodeToString(serverNonce);
        serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(keys.salt()) + ",i=" + keys.iterations();
        return serverFirst;
    }

    /**
     * Reads the client-final-message, checks channel binding, nonce and proof, and answers the
     * server-final-message carrying the ServerSignature. Throws 28P01 when the proof is wrong.
     */
    public String serverFinal(String clientFinal) throws PgError {
        if (serverFirst == null) {
            throw new IllegalStateException("serverFirst has not run");
        }
        // client-final-message = channel-binding "," nonce ["," extensions] "," proof
        int proofAt = clientFinal.lastIndexOf(",p=");
        if (proofAt < 0) {
            throw violation("malformed SCRAM message (no proof)");
        }
        String withoutProof = clientFinal.substring(0, proofAt);
        String[] attributes = withoutProof.split(",", -1);
        if (attributes.length < 2 || !attributes[0].startsWith("c=") || !attributes[1].startsWith("r=")) {
            throw violation("malformed SCRAM message (expected channel binding and nonce)");
        }
        byte[] expectedBinding = expectedChannelBinding();
        if (!ScramMath.same(decode(attributes[0].substring(2)), expectedBinding)) {
            throw violation("SCRAM channel binding check failed");
        }
        if (!attributes[1].substring(2).equals(nonce)) {
            throw violation("SCRAM nonce mismatch");
        }
        byte[] proof = decode(clientFinal.substring(proofAt + 3));
        if (proof.length != ScramMath.KEY_LENGTH) {
            throw violation("malformed SCRAM message (invalid proof length)");
        }

        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientSignature = ScramMath.hmac(keys.storedKey(), authMessage);
        byte[] candidate = ScramMath.xor(proof, clientSignature);
        if (!keys.acceptsClientKey(candidate)) {
            throw new PgError(SqlState.INVALID_PASSWORD, "password authentication failed for user \"" + role + "\"");
        }
        clientKey = candidate;
        return "v=" + Base64.getEncoder().encodeToString(ScramMath.hmac(keys.serverKey(), authMessage));
    }

    /** The proven credentials, once {@link #serverFinal} succeeded. */
    public ScramCredentials credentials() {
        if (clientKey == null) {
            throw new IllegalStateException("the exchange has not succeeded");
        }
        return new ScramCredentials(keys, clientKey);
    }

    /** RFC 5802 section 6 and Postgres' read_client_first_message: refuse every downgrade. */
    private void checkChannelBindingFlag(String flag) throws PgError {
        boolean plus = mechanism.equals(SCRAM_SHA_256_PLUS);
        if (flag.equals("n")) {
            if (plus) {
                throw violation("client selected SCRAM-SHA-256-PLUS but did not send channel binding data");
            }
        } else if (flag.equals("y")) {
            // The client could bind but believes we cannot; if we offered -PLUS someone stripped it on the way.
            if (plus || channelBinding.isPresent()) {
                throw violation("SCRAM channel binding negotiation error");
            }
        } else if (flag.startsWith("p=")) {
            if (!plus) {
                throw violation("client requested channel binding with SCRAM-SHA-256 instead of -PLUS");
            }
            if (!flag.substring(2).equals(CHANNEL_BINDING_TYPE)) {
                throw violation("unsupported SCRAM channel-binding type \"" + flag.substring(2) + "\"");
            }
        } else {
            throw violation("malformed SCRAM message (invalid channel binding flag)");
        }
    }

    /** c= carries base64(gs2-header [ cbind-data ]) (RFC 5802 section 7). */
    private byte[] expectedChannelBinding() {
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        if (!gs2Header.startsWith("p=")) {
            return header;
        }
        byte[] data = channelBinding.orElseThrow();
        byte[] both = java.util.Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, both, header.length, data.length);
        return both;
    }

    private static byte[] decode(String base64) throws PgError {
        try {
            return Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw violation("malformed SCRAM message (invalid base64)");
        }
    }

    private static PgError violation(String message) {
        return new PgError(SqlState.PROTOCOL_VIOLATION, message);
    }
}
