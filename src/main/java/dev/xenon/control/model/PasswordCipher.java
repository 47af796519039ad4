package dev.xenon.control.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static java.util.Objects.requireNonNull;

/**
 * Role passwords as stored in the metadata store: AES-256-GCM, a random 96-bit nonce per value (NIST SP 800-38D
 * recommends random nonces of exactly 96 bits; with at most billions of values per key, collisions stay negligible),
 * and the role name as associated data, so a stored value cannot be moved to another role's row unnoticed. The
 * branch is not bound: a child branch copies its parent's rows as they are. Stored as {@code aesgcm1:} and the
 * base64 of nonce, ciphertext and tag; a value without the prefix is plaintext from before encryption.
 */
public final class PasswordCipher {
    static final String PREFIX = "aesgcm1:";
    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public PasswordCipher(byte[] key) {
        requireNonNull(key, "key is null");
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the secret key must be " + KEY_BYTES + " bytes, got " + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /** A key given as base64 (standard or URL-safe alphabet), as in XENON_SECRET_KEY or the key file. */
    public static PasswordCipher fromBase64(String encoded, String source) {
        byte[] key;
        try {
            String text = encoded.strip();
            key = (text.contains("-") || text.contains("_") ? Base64.getUrlDecoder() : Base64.getDecoder())
                    .decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the secret key in " + source + " is not base64", e);
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("the secret key in " + source + " must be " + KEY_BYTES
                    + " bytes (base64 of 32 random bytes, e.g. `openssl rand -base64 32`), got " + key.length);
        }
        return new PasswordCipher(key);
    }

    public String encrypt(String password, String roleName) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, roleName);
            byte[] sealed = cipher.doFinal(password.getBytes(StandardCharsets.UTF_8));
            ByteBuffer out = ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed);
            return PREFIX + Base64.getEncoder().encodeToString(out.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while encrypting a role password", e);
        }
    }

    /** The plain password of a stored value; a value from before encryption is returned as it is. */
    public String decrypt(String stored, String roleName) {
        if (!isEncrypted(stored)) {
            return stored;
        }
        byte[] raw = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalStateException("the stored password of role '" + roleName + "' is truncated");
        }
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, java.util.Arrays.copyOf(raw, NONCE_BYTES), roleName);
            return new String(cipher.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new WrongKey("the stored password of role '" + roleName + "' does not decrypt with this server's"
                    + " secret key: start Xenon with the key it was stored with (XENON_SECRET_KEY or"
                    + " <data-dir>/secret-key)", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while decrypting the password of role '" + roleName + "'", e);
        }
    }

    public static boolean isEncrypted(String stored) {
        return stored != null && stored.startsWith(PREFIX);
    }

    private Cipher cipher(int mode, byte[] nonce, String roleName) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(roleName.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    /** Stored values were encrypted with another key (or altered). */
    public static final class WrongKey extends IllegalStateException {
        WrongKey(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
