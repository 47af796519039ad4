package dev.xenon.certificates;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v1CertificateBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v1CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;

import static java.util.Objects.requireNonNull;

/**
 * Xenon's one certificate generator: ECDSA P-256 keys, certificates signed with SHA256withECDSA, PEM text. The
 * proxy's local CA builds its certificates with the extensions it needs and signs them here; computes get a bare
 * self-signed one. SHA-256 also fixes the tls-server-end-point hash (RFC 5929 section 4.1) to SHA-256, which every
 * SCRAM-SHA-256-PLUS client supports.
 */
public final class Certificates {
    private static final String SIGNATURE = "SHA256withECDSA";

    /** A certificate and its private key (PKCS#8), as PEM. */
    public record Pem(String certificate, String privateKey) {
        public Pem {
            requireNonNull(certificate, "certificate is null");
            requireNonNull(privateKey, "privateKey is null");
        }
    }

    private Certificates() {
    }

    public static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    /**
     * A self-signed certificate for {@code CN=<commonName>}, valid from a day ago for {@code validYears}, and its
     * key. Version 1, without extensions: for servers that clients with {@code sslmode=require} reach without
     * verifying them; they still get encryption and, with SCRAM, channel binding.
     */
    public static Pem selfSigned(String commonName, int validYears) {
        requireNonNull(commonName, "commonName is null");
        try {
            KeyPair keys = newKeyPair();
            X500Name name = new X500Name("CN=" + commonName);
            ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC).withNano(0);
            X509v1CertificateBuilder builder = new JcaX509v1CertificateBuilder(name, serial(),
                    Date.from(now.minusDays(1).toInstant()), Date.from(now.plusYears(validYears).toInstant()), name,
                    keys.getPublic());
            X509Certificate certificate = certificate(builder.build(signer(keys.getPrivate())));
            return new Pem(pem(certificate), pem(keys.getPrivate()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while generating a self-signed certificate for " + commonName, e);
        }
    }

    /** Signs the certificate {@code builder} describes with {@code signer}, the issuer's key. */
    public static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws GeneralSecurityException {
        return certificate(builder.build(signer(signer)));
    }

    /** A random positive serial number of 127 bits (RFC 5280 4.1.2.2 allows up to 20 octets). */
    public static BigInteger serial() {
        return new BigInteger(127, new SecureRandom()).add(BigInteger.ONE);
    }

    public static String pem(X509Certificate certificate) {
        return write(certificate);
    }

    /** An unencrypted PKCS#8 key ({@code PRIVATE KEY}), the form Postgres and the JDK both read. */
    public static String pem(PrivateKey key) {
        try {
            return write(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException("while encoding a private key", e);
        }
    }

    private static String write(Object object) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static ContentSigner signer(PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaContentSignerBuilder(SIGNATURE).build(key);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static X509Certificate certificate(X509CertificateHolder holder) throws GeneralSecurityException {
        return new JcaX509CertificateConverter().getCertificate(holder);
    }
}
