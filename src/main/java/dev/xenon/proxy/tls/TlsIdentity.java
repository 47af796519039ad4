package dev.xenon.proxy.tls;

import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The proxy's TLS certificate and key, and how a client socket is turned into a TLS server socket with them. */
public final class TlsIdentity {
    private static final String CERT_FILE = "proxy.crt";
    private static final String KEY_FILE = "proxy.key";
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
     * The self-signed certificate kept in {@code dir}, generated on first use, so clients that pin it (or
     * verify-ca against it) keep working across restarts.
     *
     * @param dnsNames names for a new certificate's subject alternative names
     */
    public static TlsIdentity selfSigned(Path dir, List<String> dnsNames) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        if (!Files.exists(cert) || !Files.exists(key)) {
            SelfSignedCertificate.Generated generated = SelfSignedCertificate.generate(dnsNames);
            try {
                Files.createDirectories(dir);
                // The key first, the certificate last: a certificate file means the pair is complete.
                writePrivately(key, PemFiles.toPem(new JcaPKCS8Generator(generated.keyPair().getPrivate(), null)));
                writePrivately(cert, PemFiles.toPem(generated.certificate()));
            } catch (IOException e) {
                throw new UncheckedIOException("while saving the proxy's self-signed certificate in " + dir, e);
            }
        }
        return fromPem(cert, key);
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
        requireNonNull(socket, "socket is null");
        SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, consumed, true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        // libpq 17+ offers ALPN "postgresql" in every handshake and direct TLS requires it; older clients send no
        // ALPN, which the JDK accepts. A client offering only other protocols fails the handshake, as with Postgres.
        parameters.setApplicationProtocols(new String[] {"postgresql"});
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }

    private static void writePrivately(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temp, content);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
