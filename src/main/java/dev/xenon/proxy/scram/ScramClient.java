package dev.xenon.proxy.scram;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802 section 3), run by the proxy against a compute with a ClientKey
 * instead of a password. The client computes ClientProof = ClientKey XOR HMAC(StoredKey, AuthMessage) with
 * StoredKey = H(ClientKey): SaltedPassword is needed only to derive ClientKey, which we already hold, so the
 * salt and iteration count the compute sends are not used. The compute therefore accepts us exactly when it stores
 * the same verifier (same StoredKey) as the one the client was checked against. ServerKey from that verifier lets
 * us check the compute's ServerSignature (RFC 5802 section 3, "the client verifies ServerSignature"), so a stray
 * process on the compute's port cannot pose as it. No channel binding: the compute is reached over loopback.
 */
public final class ScramClient {
    private static final int NONCE_BYTES = 18;
    // gs2-header: "n" (no channel binding; the compute is reached over loopback), no authzid.
    private static final String GS2_HEADER = "n,,";

    private final ScramCredentials credentials;
    private final String clientNonce;
    private final String clientFirstBare;
    private String authMessage;

    public ScramClient(ScramCredentials credentials, SecureRandom random) {
        this.credentials = requireNonNull(credentials, "credentials is null");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        // Postgres ignores the SCRAM user name and takes the startup packet's, so send an empty one as libpq does.
        this.clientFirstBare = "n=,r=" + clientNonce;
    }

    public String clientFirst() {
        return GS2_HEADER + clientFirstBare;
    }

    /** Answers the server-first-message with the client-final-message carrying ClientProof. */
    public String clientFinal(String serverFirst) throws ScramException {
        String[] attributes = serverFirst.split(",", -1);
        if (attributes.length < 3 || !attributes[0].startsWith("r=") || !attributes[1].startsWith("s=")
                || !attributes[2].startsWith("i=")) {
            throw new ScramException("malformed server-first-message from the compute");
        }
        String nonce = attributes[0].substring(2);
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new ScramException("the compute answered with a nonce that does not extend ours");
        }
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(GS2_HEADER.getBytes(StandardCharsets.US_ASCII)) + ",r=" + nonce;
        authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] clientKey = credentials.clientKey();
        byte[] clientSignature = ScramMath.hmac(ScramMath.sha256(clientKey), authMessage);
        byte[] proof = ScramMath.xor(clientKey, clientSignature);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Checks the server-final-message: v=ServerSignature, which only a holder of ServerKey can compute. */
    public void verifyServerFinal(String serverFinal) throws ScramException {
        if (authMessage == null) {
            throw new IllegalStateException("clientFinal has not run");
        }
        if (serverFinal.startsWith("e=")) {
            throw new ScramException("the compute refused the SCRAM exchange: " + serverFinal.substring(2));
        }
        byte[] expected = ScramMath.hmac(credentials.keys().serverKey(), authMessage);
        byte[] actual;
        try {
            actual = serverFinal.startsWith("v=") ? Base64.getDecoder().decode(serverFinal.substring(2).split(",")[0])
                    : new byte[0];
        } catch (IllegalArgumentException e) {
            actual = new byte[0];
        }
        if (!ScramMath.same(expected, actual)) {
            throw new ScramException("the compute's SCRAM server signature is wrong");
        }
    }
}
