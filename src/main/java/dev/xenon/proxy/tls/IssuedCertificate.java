package dev.xenon.proxy.tls;

import dev.xenon.certificates.Certificates;
import dev.xenon.certificates.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The proxy's certificate as the local CA issued it, kept in a directory across restarts (clients that pin it
 * keep working) and issued again, with a new key, only when it no longer fits: other names, another CA, or
 * little time left.
 */
final class IssuedCertificate {
    static final String CERT_FILE = "proxy.crt";
    static final String KEY_FILE = "proxy.key";
    /** Apple's clients refuse server certificates valid for longer, even from a CA the user added. */
    static final Duration VALIDITY = Duration.ofDays(825);
    /** Time left below which a start issues a new certificate. */
    static final Duration RENEW_BEFORE = Duration.ofDays(60);
    private static final Logger LOG = LoggerFactory.getLogger(IssuedCertificate.class);

    private IssuedCertificate() {
    }

    /** Makes sure {@code dir} holds a certificate from {@code ca} for exactly {@code names}, valid well past now. */
    static void ensure(LocalAuthority ca, Path dir, CertificateNames names, Instant now) {
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        Optional<String> reason = reasonToIssue(ca, certFile, keyFile, names, now);
        if (reason.isEmpty()) {
            return;
        }
        try {
            KeyPair pair = Certificates.newKeyPair();
            X509Certificate certificate = ca.issue(pair.getPublic(), names, now.plus(VALIDITY));
            // The key first, the certificate last: a certificate that matches the names means the pair is complete.
            PrivateFiles.write(keyFile, Certificates.pem(pair.getPrivate()), "rw-------");
            PrivateFiles.write(certFile, Certificates.pem(certificate), "rw-r--r--");
            LOG.info("issued the proxy a certificate from the local CA ({}) for {} {}", reason.get(),
                    names.dnsNames(), names.ipAddresses());
        } catch (IOException e) {
            throw new UncheckedIOException("while saving the proxy certificate in " + dir, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while issuing the proxy certificate: " + e, e);
        }
    }

    private static Optional<String> reasonToIssue(LocalAuthority ca, Path certFile, Path keyFile,
                                                  CertificateNames names, Instant now) {
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            return Optional.of("none yet");
        }
        X509Certificate current = PemFiles.readCertificates(certFile).getFirst();
        if (!ca.issued(current)) {
            return Optional.of("the one kept was not issued by this CA");
        }
        if (!CertificateNames.of(current).equals(names)) {
            return Optional.of("the names changed from " + CertificateNames.of(current));
        }
        if (current.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
            return Optional.of("the one kept expires on " + current.getNotAfter().toInstant());
        }
        return Optional.empty();
    }
}
