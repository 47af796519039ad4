package dev.xenon.proxy.tls;

import dev.xenon.certificates.Certificates;
import dev.xenon.certificates.PrivateFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;

/**
 * Xenon's own certificate authority, created on first use and kept for good: the one certificate a user trusts
 * ({@code <dir>/ca.crt}) so that every proxy certificate it issues later, for whatever names, verifies. Its key
 * ({@code <dir>/ca.key}, mode 600) never leaves the data directory.
 */
public final class LocalAuthority {
    public static final String CERTIFICATE_FILE = "ca.crt";
    static final String KEY_FILE = "ca.key";
    /** As long as mkcert's: replacing a trusted root means every user trusts it again. */
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final Path certificateFile;
    private final boolean created;

    private LocalAuthority(X509Certificate certificate, PrivateKey key, Path certificateFile, boolean created) {
        this.certificate = certificate;
        this.key = key;
        this.certificateFile = certificateFile;
        this.created = created;
    }

    /** Where the CA certificate of the data directory {@code dir} is (or will be) kept. */
    public static Path certificateFile(Path dir) {
        return dir.resolve(CERTIFICATE_FILE);
    }

    /** Loads the CA kept in {@code dir}, creating it there first if there is none. */
    public static LocalAuthority loadOrCreate(Path dir) {
        Path cert = certificateFile(dir);
        Path key = dir.resolve(KEY_FILE);
        boolean created = false;
        if (!Files.exists(cert) || !Files.exists(key)) {
            create(cert, key);
            created = true;
        }
        return new LocalAuthority(PemFiles.readCertificates(cert).getFirst(), PemFiles.readPrivateKey(key), cert,
                created);
    }

    private static void create(Path certFile, Path keyFile) {
        try {
            KeyPair pair = Certificates.newKeyPair();
            String id = HexFormat.of().toHexDigits(new SecureRandom().nextInt());
            X500Name subject = new X500Name("CN=Xenon local CA " + id + ",O=Xenon local CA");
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, Certificates.serial(),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(VALIDITY)), subject,
                    pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            // pathLen 0: this CA signs proxy certificates only, never another CA.
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate certificate = Certificates.sign(builder, pair.getPrivate());
            // The key first, the certificate last: a certificate file means the pair is complete.
            PrivateFiles.write(keyFile, Certificates.pem(pair.getPrivate()), "rw-------");
            PrivateFiles.write(certFile, Certificates.pem(certificate), "rw-r--r--");
        } catch (IOException e) {
            throw new UncheckedIOException("while creating Xenon's local certificate authority in "
                    + certFile.getParent(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while creating Xenon's local certificate authority: " + e, e);
        }
    }

    /** A certificate for the TLS server with {@code publicKey}, valid for {@code names} until {@code notAfter}. */
    X509Certificate issue(PublicKey publicKey, CertificateNames names, Instant notAfter) {
        try {
            X500Name subject = new X500Name("CN=" + names.commonName() + ",O=Xenon proxy");
            Instant notBefore = Instant.now().minus(Duration.ofDays(1));
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, Certificates.serial(),
                    Date.from(notBefore), Date.from(notAfter.isAfter(notAfterCa()) ? notAfterCa() : notAfter),
                    subject, publicKey);
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(Extension.subjectAlternativeName, false, names.toGeneralNames());
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(publicKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    extensions.createAuthorityKeyIdentifier(certificate));
            return Certificates.sign(builder, key);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("while issuing a proxy certificate for " + names + ": " + e, e);
        }
    }

    /** Whether this CA signed {@code leaf}. */
    boolean issued(X509Certificate leaf) {
        if (!leaf.getIssuerX500Principal().equals(certificate.getSubjectX500Principal())) {
            return false;
        }
        try {
            leaf.verify(certificate.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public Path certificateFile() {
        return certificateFile;
    }

    /** True when this call made the CA, so the user has yet to be told how to trust it. */
    public boolean created() {
        return created;
    }

    /** SHA-256 of the certificate, hex: what {@code openssl x509 -fingerprint -sha256} shows, without colons. */
    public String fingerprint() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while hashing the CA certificate", e);
        }
    }

    /** Enough of the fingerprint to tell this CA's file from another Xenon's in a trust store. */
    public String shortFingerprint() {
        return fingerprint().substring(0, 12);
    }

    private Instant notAfterCa() {
        return certificate.getNotAfter().toInstant();
    }

}
