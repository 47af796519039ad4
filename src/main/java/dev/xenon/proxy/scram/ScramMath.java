package dev.xenon.proxy.scram;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;

/** The SCRAM-SHA-256 primitives of RFC 5802 section 2.2 with H = SHA-256 (RFC 7677). */
final class ScramMath {
    static final int KEY_LENGTH = 32;

    private ScramMath() {
    }

    /** Hi(password, salt, i) = PBKDF2 with HMAC-SHA-256, one block (RFC 5802 section 2.2). */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        // Postgres applies SASLprep (RFC 4013) first; for ASCII passwords, all Xenon generates, it is the identity.
        try {
            SecretKeyFactory pbkdf2 = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            return pbkdf2.generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, KEY_LENGTH * 8))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while deriving a SCRAM salted password", e);
        }
    }

    static byte[] hmac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while computing a SCRAM HMAC", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " and " + b.length);
        }
        byte[] result = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            result[i] = (byte) (a[i] ^ b[i]);
        }
        return result;
    }

    /** Compares secrets in time independent of where they first differ. */
    static boolean same(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }
}
