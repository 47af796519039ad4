package dev.xenon.cli;

import dev.xenon.proxy.tls.LocalAuthority;

import java.nio.file.Path;

/** How each kind of client comes to trust the local CA: printed once when it is created, and by {@code trust}. */
final class TrustAdvice {
    private TrustAdvice() {
    }

    static String forNewAuthority(Path caFile, Path dataDir) {
        return "Xenon created its local certificate authority; the proxy's certificate is issued by it.\n"
                + "Trust " + caFile + " once and clients verify the proxy (node-postgres always does;\n"
                + "libpq and pgjdbc with sslmode=verify-full):\n"
                + ways(caFile)
                + "  System:      xenon trust --data-dir " + dataDir
                + "   (as root; Debian/Ubuntu's store: OpenSSL, curl, libpq 16+ with sslrootcert=system)\n";
    }

    static String ways(Path caFile) {
        String store = "xenon-truststore.p12";
        return "  Node.js:     NODE_EXTRA_CA_CERTS=" + caFile + " node app.js\n"
                + "  libpq/psql:  PGSSLROOTCERT=" + caFile + " (or sslrootcert=" + caFile + " in the URI)\n"
                + "  pgjdbc:      sslrootcert=" + caFile + " in the JDBC URL, or for any Java client:\n"
                + "               keytool -importcert -noprompt -alias xenon-local-ca -file " + caFile
                + " -keystore " + store + " -storepass changeit\n"
                + "               java -Djavax.net.ssl.trustStore=" + store
                + " -Djavax.net.ssl.trustStorePassword=changeit ...\n";
    }

    /** For systems without Debian's {@code update-ca-certificates}. */
    static String byHand(LocalAuthority ca) {
        Path file = ca.certificateFile();
        return "  Debian/Ubuntu: sudo cp " + file + " /usr/local/share/ca-certificates/xenon-" + ca.shortFingerprint()
                + ".crt && sudo update-ca-certificates\n"
                + "  Fedora/RHEL:   sudo cp " + file + " /etc/pki/ca-trust/source/anchors/xenon-" + ca.shortFingerprint()
                + ".crt && sudo update-ca-trust\n"
                + "  macOS:         sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain "
                + file + "\n";
    }
}
