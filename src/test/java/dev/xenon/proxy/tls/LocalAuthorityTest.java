package dev.xenon.proxy.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalAuthorityTest {
    private static final CertificateNames NAMES =
            CertificateNames.forProxy(Optional.of("db.example.test"), List.of("192.0.2.7"));

    @TempDir
    Path temp;

    @Test
    void authorityIsCreatedOnceAsACaWithAPrivateKey() throws Exception {
        LocalAuthority first = LocalAuthority.loadOrCreate(temp);
        LocalAuthority again = LocalAuthority.loadOrCreate(temp);

        assertThat(first.created()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(first.certificateFile()).isEqualTo(temp.resolve("ca.crt"));
        assertThat(Files.readString(temp.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.getAttribute(temp.resolve("ca.key"), "unix:mode")).isEqualTo(0100600);
        X509Certificate ca = first.certificate();
        assertThat(ca.getBasicConstraints()).isEqualTo(0);
        assertThat(ca.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(ca.getNotAfter().toInstant()).isAfter(Instant.now().plus(Duration.ofDays(3000)));
        assertThat(first.shortFingerprint()).hasSize(12).isEqualTo(first.fingerprint().substring(0, 12));
    }

    @Test
    void issuedCertificateCoversEveryNameAUriCanCarryAndIsKept() throws Exception {
        LocalAuthority ca = LocalAuthority.loadOrCreate(temp);
        TlsIdentity identity = TlsIdentity.issuedBy(ca, temp.resolve("proxy-tls"), NAMES);
        X509Certificate leaf = identity.certificate();

        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(CertificateNames.of(leaf).dnsNames())
                .containsExactly("*.db.example.test", "db.example.test", "localhost");
        assertThat(CertificateNames.of(leaf).ipAddresses())
                .containsExactlyInAnyOrder("127.0.0.1", "0:0:0:0:0:0:0:1", "192.0.2.7");
        assertThat(Files.getAttribute(temp.resolve("proxy-tls/proxy.key"), "unix:mode")).isEqualTo(0100600);
        // The same names on the next start: the same certificate, so clients that pinned it keep working.
        assertThat(TlsIdentity.issuedBy(ca, temp.resolve("proxy-tls"), NAMES).certificate()).isEqualTo(leaf);

        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            for (String host : List.of("localhost", "127.0.0.1", "db.example.test", "ep-cool-cat-123.db.example.test",
                    "ep-cool-cat-123-pooler.db.example.test")) {
                assertThat(handshake(listener, identity, ca, host)).as(host).isEqualTo(leaf);
            }
            for (String host : List.of("other.test", "a.b.db.example.test", "192.0.2.8")) {
                assertThatThrownBy(() -> handshake(listener, identity, ca, host)).as(host)
                        .isInstanceOf(SSLHandshakeException.class);
            }
        }
    }

    @Test
    void newNamesOrNearExpiryIssueANewCertificateFromTheSameCa() throws Exception {
        LocalAuthority ca = LocalAuthority.loadOrCreate(temp);
        String caPem = Files.readString(temp.resolve("ca.crt"));
        X509Certificate before = TlsIdentity.issuedBy(ca, temp, NAMES).certificate();

        CertificateNames renamed = CertificateNames.forProxy(Optional.of("other.example.test"), List.of("xenon.lan"));
        X509Certificate after = TlsIdentity.issuedBy(LocalAuthority.loadOrCreate(temp), temp, renamed).certificate();
        assertThat(after).isNotEqualTo(before);
        assertThat(CertificateNames.of(after)).isEqualTo(renamed);
        assertThat(ca.issued(after)).isTrue();
        assertThat(Files.readString(temp.resolve("ca.crt"))).isEqualTo(caPem);

        Instant nearEnd = after.getNotAfter().toInstant().minus(Duration.ofDays(10));
        X509Certificate renewed = TlsIdentity.issuedBy(ca, temp, renamed, nearEnd).certificate();
        assertThat(renewed).isNotEqualTo(after);
        assertThat(renewed.getNotAfter()).isAfter(after.getNotAfter());
        assertThat(Files.readString(temp.resolve("ca.crt"))).isEqualTo(caPem);
    }

    @Test
    void aCertificateFromAnotherAuthorityIsReplaced() throws Exception {
        LocalAuthority other = LocalAuthority.loadOrCreate(temp.resolve("other"));
        X509Certificate foreign = TlsIdentity.issuedBy(other, temp.resolve("proxy-tls"), NAMES).certificate();

        LocalAuthority ca = LocalAuthority.loadOrCreate(temp);
        X509Certificate ours = TlsIdentity.issuedBy(ca, temp.resolve("proxy-tls"), NAMES).certificate();
        assertThat(ours).isNotEqualTo(foreign);
        assertThat(ca.issued(ours)).isTrue();
        assertThat(ca.issued(foreign)).isFalse();
    }

    /** A client that trusts only {@code ca} and checks the host name, as verify-full clients do. */
    private static X509Certificate handshake(ServerSocket listener, TlsIdentity identity, LocalAuthority ca,
                                             String host) throws Exception {
        CompletableFuture<Void> server = CompletableFuture.runAsync(() -> {
            try (Socket accepted = listener.accept()) {
                identity.accept(accepted, null).getSession();
            } catch (Exception expectedOnRefusal) {
                // the client's verdict is what the test checks
            }
        });
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("xenon", ca.certificate());
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
             SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
            tls.startHandshake();
            return (X509Certificate) tls.getSession().getPeerCertificates()[0];
        } finally {
            server.join();
        }
    }
}
