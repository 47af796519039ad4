package dev.xenon.certificates;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class CertificatesTest {
    @Test
    void certificateParsesVerifiesWithItsOwnKeyAndMatchesThePrivateKey() throws Exception {
        Certificates.Pem tls = Certificates.selfSigned("xenon", 100);

        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(tls.certificate().getBytes(StandardCharsets.US_ASCII)));
        cert.verify(cert.getPublicKey());
        cert.checkValidity();
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=xenon");
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        // What the hand-encoded certificate was: version 1, no extensions, an EC P-256 key, valid since a day ago.
        assertThat(cert.getVersion()).isEqualTo(1);
        assertThat(cert.getNonCriticalExtensionOIDs()).isNullOrEmpty();
        assertThat(cert.getCriticalExtensionOIDs()).isNullOrEmpty();
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(((java.security.interfaces.ECPublicKey) cert.getPublicKey()).getParams().getCurve().getField()
                .getFieldSize()).isEqualTo(256);
        assertThat(cert.getNotBefore().toInstant()).isBefore(java.time.Instant.now().minus(java.time.Duration.ofHours(23)));
        assertThat(cert.getNotAfter().toInstant()).isAfter(java.time.Instant.parse("2100-01-01T00:00:00Z"));

        String body = tls.privateKey().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(body)));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertThat(verifier.verify(signature)).isTrue();
    }
}
