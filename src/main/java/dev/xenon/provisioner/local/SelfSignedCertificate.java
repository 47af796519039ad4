package dev.xenon.provisioner.local;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * A self-signed X.509 certificate (ECDSA P-256 with SHA-256) and its key, as PEM. The JDK can sign but has no
 * public API to build a certificate, so this encodes the few DER structures of RFC 5280 it needs by hand rather
 * than pulling in a crypto library for one file. Clients that connect with {@code sslmode=require} do not verify
 * the certificate; they still get encryption and, with SCRAM, channel binding (tls-server-end-point hashes the
 * certificate with the hash of its signature algorithm, here SHA-256).
 */
public record SelfSignedCertificate(String certificatePem, String privateKeyPem) {
    // OIDs, DER-encoded content bytes.
    private static final byte[] ECDSA_WITH_SHA256 = {0x2A, (byte) 0x86, 0x48, (byte) 0xCE, 0x3D, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};
    private static final DateTimeFormatter UTC_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
    private static final DateTimeFormatter GENERALIZED_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'");

    public static SelfSignedCertificate generate(String commonName, int validYears) {
        requireNonNull(commonName, "commonName is null");
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();

            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            byte[] algorithm = sequence(oid(ECDSA_WITH_SHA256));
            byte[] name = sequence(set(sequence(oid(COMMON_NAME), utf8(commonName))));
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            byte[] validity = sequence(time(now.minusDays(1)), time(now.plusYears(validYears)));
            // Version 1 (the version field is then omitted): no extensions are needed for a server certificate
            // that nobody verifies against a CA.
            byte[] tbs = sequence(integer(new BigInteger(1, serial).toByteArray()), algorithm, name, validity, name,
                    keys.getPublic().getEncoded());

            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] certificate = sequence(tbs, algorithm, bitString(signature));
            return new SelfSignedCertificate(pem("CERTIFICATE", certificate),
                    pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while generating a self-signed certificate for " + commonName, e);
        }
    }

    private static byte[] time(ZonedDateTime at) {
        // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on.
        return at.getYear() < 2050 ? tlv(0x17, UTC_TIME.format(at).getBytes(StandardCharsets.US_ASCII))
                : tlv(0x18, GENERALIZED_TIME.format(at).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sequence(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] integer(byte[] twosComplement) {
        return tlv(0x02, twosComplement);
    }

    private static byte[] oid(byte[] encoded) {
        return tlv(0x06, encoded);
    }

    private static byte[] utf8(String text) {
        return tlv(0x0C, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] bitString(byte[] bits) {
        byte[] content = new byte[bits.length + 1];
        System.arraycopy(bits, 0, content, 1, bits.length); // leading 0: no unused bits
        return tlv(0x03, content);
    }

    /** DER tag-length-value with the definite length form (X.690 8.1.3). */
    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
