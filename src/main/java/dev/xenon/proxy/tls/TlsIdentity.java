package dev.xenon.proxy.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The proxy's TLS certificate and key, and how a client socket is turned into a TLS server socket with them. */
public final class TlsIdentity {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final X509Certificate certificate;
    private final Optional<byte[]> channelBinding;

    private TlsIdentity(List<X509Certificate> chain, PrivateKey key) {
        this.certificate = chain.getFirst();
        this.channelBinding = ChannelBinding.tlsServerEndPoint(certificate);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("proxy", key, password, chain.toArray(X509Certificate[]::new));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            this.context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("while setting up TLS with the certificate for "
                    + certificate.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /** A configured certificate chain (leaf first) and its private key, both PEM. */
    public static TlsIdentity fromPem(Path certificateFile, Path privateKeyFile) {
        return new TlsIdentity(PemFiles.readCertificates(certificateFile), PemFiles.readPrivateKey(privateKeyFile));
    }

    /**
     * The certificate {@code ca} issued for {@code names}, kept in {@code dir}: the same one across restarts, a new
     * one when the names change or it nears its end.
     */
    public static TlsIdentity issuedBy(LocalAuthority ca, Path dir, CertificateNames names) {
        return issuedBy(ca, dir, names, Instant.now());
    }

    static TlsIdentity issuedBy(LocalAuthority ca, Path dir, CertificateNames names, Instant now) {
        IssuedCertificate.ensure(ca, dir, names, now);
        return fromPem(dir.resolve(IssuedCertificate.CERT_FILE), dir.resolve(IssuedCertificate.KEY_FILE));
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** tls-server-end-point data for SCRAM-SHA-256-PLUS, empty when the certificate does not allow it. */
    public Optional<byte[]> channelBinding() {
        return channelBinding.map(byte[]::clone);
    }

    /**
     * Runs the server side of a TLS handshake on an accepted connection and returns the TLS socket.
     *
     * @param consumed bytes of the handshake already read from the socket (the peeked first byte of a direct TLS
     *                 connection), or null
     */
    public SSLSocket accept(Socket socket, InputStream consumed) throws IOException {
        // libpq 17+ offers ALPN "postgresql" in every handshake and direct TLS requires it; older clients send no
        // ALPN, which the JDK accepts. A client offering only other protocols fails the handshake, as with Postgres.
        return accept(socket, consumed, "postgresql");
    }

    /**
     * The same for the HTTPS port: ALPN {@code http/1.1} (WebSocket upgrades are HTTP/1.1; a client offering only
     * h2 fails the handshake), or none.
     */
    public SSLSocket acceptHttps(Socket socket, InputStream consumed) throws IOException {
        return accept(socket, consumed, "http/1.1");
    }

    private SSLSocket accept(Socket socket, InputStream consumed, String applicationProtocol) throws IOException {
        requireNonNull(socket, "socket is null");
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, consumed, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setApplicationProtocols(new String[] {applicationProtocol});
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }
}
