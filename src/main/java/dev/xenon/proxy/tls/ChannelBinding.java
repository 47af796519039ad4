package dev.xenon.proxy.tls;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;

/** tls-server-end-point channel binding data (RFC 5929 section 4.1), what SCRAM-SHA-256-PLUS binds to. */
public final class ChannelBinding {
    private ChannelBinding() {
    }

    /**
     * The hash of the server certificate's DER encoding, with the hash function of the certificate's signature
     * algorithm, except that MD5 and SHA-1 are replaced by SHA-256. Empty when the signature algorithm has no
     * single hash function (Ed25519, say): libpq cannot bind to such a certificate either, so -PLUS is not offered.
     */
    public static Optional<byte[]> tlsServerEndPoint(X509Certificate certificate) {
        String algorithm = certificate.getSigAlgName().toUpperCase(Locale.ROOT);
        String hash;
        if (algorithm.startsWith("MD5") || algorithm.startsWith("SHA1") || algorithm.startsWith("SHA256")) {
            hash = "SHA-256";
        } else if (algorithm.startsWith("SHA384")) {
            hash = "SHA-384";
        } else if (algorithm.startsWith("SHA512")) {
            hash = "SHA-512";
        } else if (algorithm.startsWith("SHA224")) {
            hash = "SHA-224";
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(MessageDigest.getInstance(hash).digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("while hashing the proxy certificate for channel binding", e);
        }
    }
}
