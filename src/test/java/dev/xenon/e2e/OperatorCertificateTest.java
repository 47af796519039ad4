package dev.xenon.e2e;

import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import dev.xenon.testing.TrustAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --tls-cert}/{@code --tls-key}: the proxy serves the operator's certificate, and no local CA is made. */
class OperatorCertificateTest {
    @TempDir
    Path temp;

    @Test
    void theProxyServesTheConfiguredCertificateInsteadOfTheLocalCas() throws Exception {
        Path key = temp.resolve("wildcard.key");
        Path cert = temp.resolve("wildcard.crt");
        // A PKCS#1 RSA key, as many CAs' tooling writes it.
        openssl("genrsa", "-traditional", "-out", key.toString(), "2048");
        openssl("req", "-x509", "-new", "-key", key.toString(), "-out", cert.toString(), "-days", "30",
                "-subj", "/CN=*.db.example.test", "-addext", "subjectAltName=DNS:*.db.example.test");

        try (TestServer server = TestServer.start(c -> c
                .withSecurity(c.security().withTlsCertificate(cert, key)))) {
            ApiClient api = server.client();
            String host = Projects.create(api, Map.of()).at("/project/proxy_host").asText();
            int port = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));

            X509Certificate served = servedCertificate(port);
            assertThat(sha256(served)).isEqualTo(sha256(configured(cert)));
            assertThat(server.dataDir().resolve("ca.crt")).doesNotExist();
            assertThat(server.dataDir().resolve("ca.key")).doesNotExist();
        }
    }

    /** Asks for TLS the way libpq does (SSLRequest) and returns what the proxy presents, trusting anything. */
    private static X509Certificate servedCertificate(int port) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(8);
            out.writeInt(80877103); // SSLRequest code (protocol-message-formats)
            out.flush();
            assertThat(new DataInputStream(socket.getInputStream()).readByte()).isEqualTo((byte) 'S');
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", port,
                    false)) {
                tls.startHandshake();
                return (X509Certificate) tls.getSession().getPeerCertificates()[0];
            }
        }
    }

    private static X509Certificate configured(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static byte[] sha256(X509Certificate certificate) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    }

    private static void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(openssl.getInputStream().readAllBytes())).isZero();
    }
}
