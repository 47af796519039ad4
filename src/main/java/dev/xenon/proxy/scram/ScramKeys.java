package dev.xenon.proxy.scram;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A role's SCRAM-SHA-256 secret as Postgres stores it in pg_authid.rolpassword:
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}, all base64.
 * StoredKey = H(ClientKey) and ServerKey = HMAC(SaltedPassword, "Server Key") (RFC 5802 section 3).
 */
public final class ScramKeys {
    private static final Pattern VERIFIER = Pattern.compile(
            "SCRAM-SHA-256\\$(\\d{1,9}):([A-Za-z0-9+/=]+)\\$([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)");
    private static final int MOCK_ITERATIONS = 4096;

    private final int iterations;
    private final byte[] salt;
    private final byte[] storedKey;
    private final byte[] serverKey;

    private ScramKeys(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {
        if (iterations < 1 || salt.length == 0 || storedKey.length != ScramMath.KEY_LENGTH
                || serverKey.length != ScramMath.KEY_LENGTH) {
            throw new IllegalArgumentException("not a SCRAM-SHA-256 secret");
        }
        this.iterations = iterations;
        this.salt = salt;
        this.storedKey = storedKey;
        this.serverKey = serverKey;
    }

    /** Parses a verifier; empty if it is not a well-formed SCRAM-SHA-256 verifier (say an md5 hash). */
    public static Optional<ScramKeys> parse(String verifier) {
        Matcher m = VERIFIER.matcher(requireNonNull(verifier, "verifier is null"));
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            return Optional.of(new ScramKeys(Integer.parseInt(m.group(1)), b64.decode(m.group(2)),
                    b64.decode(m.group(3)), b64.decode(m.group(4))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Keys no password matches, with a salt derived from the role name, so that a client naming a role that does
     * not exist sees the same exchange as one with a wrong password (Postgres does the same, auth-scram.c).
     */
    public static ScramKeys mock(String role, byte[] mockSecret) {
        byte[] salt = java.util.Arrays.copyOf(ScramMath.hmac(mockSecret, "salt:" + role), 16);
        SecureRandom random = new SecureRandom();
        byte[] stored = new byte[ScramMath.KEY_LENGTH];
        byte[] server = new byte[ScramMath.KEY_LENGTH];
        random.nextBytes(stored);
        random.nextBytes(server);
        return new ScramKeys(MOCK_ITERATIONS, salt, stored, server);
    }

    public int iterations() {
        return iterations;
    }

    public byte[] salt() {
        return salt.clone();
    }

    byte[] storedKey() {
        return storedKey;
    }

    byte[] serverKey() {
        return serverKey;
    }

    /** Whether this ClientKey belongs to these keys: H(ClientKey) = StoredKey (RFC 5802 section 3). */
    boolean acceptsClientKey(byte[] clientKey) {
        return ScramMath.same(ScramMath.sha256(clientKey), storedKey);
    }

    /**
     * The ClientKey of a plain password, if the password is the right one: derives SaltedPassword with this
     * verifier's salt and iteration count and checks both StoredKey and ServerKey. Used for cleartext password
     * authentication, where the client sends the password itself.
     */
    public Optional<byte[]> clientKeyOf(String password) {
        byte[] salted = ScramMath.saltedPassword(password, salt, iterations);
        byte[] clientKey = ScramMath.hmac(salted, "Client Key");
        boolean ok = acceptsClientKey(clientKey) & ScramMath.same(ScramMath.hmac(salted, "Server Key"), serverKey);
        return ok ? Optional.of(clientKey) : Optional.empty();
    }
}
