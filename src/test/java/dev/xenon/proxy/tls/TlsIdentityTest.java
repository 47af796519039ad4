package dev.xenon.proxy.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TlsIdentityTest {
    @TempDir
    Path temp;

    @Test
    void issuedEcdsaCertificateBindsChannelsWithSha256() throws Exception {
        TlsIdentity identity = TlsIdentity.issuedBy(LocalAuthority.loadOrCreate(temp), temp,
                CertificateNames.forProxy(Optional.empty(), List.of()));
        // tls-server-end-point of a SHA256withECDSA certificate: SHA-256 of its DER encoding (RFC 5929 4.1).
        byte[] expected = sha256(identity);
        assertThat(identity.channelBinding()).hasValueSatisfying(binding -> assertThat(binding).isEqualTo(expected));
    }

    @Test
    void configuredOpensslCertificateAndTraditionalRsaKeyLoad() throws Exception {
        Path key = temp.resolve("server.key");
        Path cert = temp.resolve("server.crt");
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-out", cert.toString(), "-days", "1",
                "-subj", "/CN=proxy.example.test", "-sha384");

        TlsIdentity identity = TlsIdentity.fromPem(cert, key);
        assertThat(identity.certificate().getSubjectX500Principal().getName()).isEqualTo("CN=proxy.example.test");
        // SHA384withRSA binds with SHA-384.
        assertThat(identity.channelBinding()).hasValueSatisfying(b -> assertThat(b).hasSize(48));
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
    }

    private static byte[] sha256(TlsIdentity identity) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(identity.certificate().getEncoded());
    }
}
