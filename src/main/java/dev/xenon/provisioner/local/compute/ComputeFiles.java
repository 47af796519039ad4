package dev.xenon.provisioner.local.compute;

import dev.xenon.certificates.Certificates;
import dev.xenon.certificates.PrivateFiles;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.Superuser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Files every compute of the installation shares, kept outside the data directories so that a rule change
 * reaches every branch at its next start: the client authentication rules and the TLS certificate and key.
 */
public record ComputeFiles(Path hbaFile, Path certificate, Path privateKey) {
    // The Postgres account's own files: Postgres refuses a key others can read.
    private static final String PRIVATE = "rw-------";

    /**
     * Writes pg_hba.conf (every time, so it always matches this code) and, once per installation, a self-signed
     * certificate. The directory is private to the Postgres account: the key must be mode 600 and owned by it.
     */
    public static ComputeFiles prepare(Path dir, Superuser superuser, Optional<OsUser> user) {
        requireNonNull(dir, "dir is null");
        requireNonNull(superuser, "superuser is null");
        requireNonNull(user, "user is null");
        ComputeFiles files = new ComputeFiles(dir.resolve("pg_hba.conf"), dir.resolve("server.crt"),
                dir.resolve("server.key"));
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            PrivateFiles.write(files.hbaFile, hba(superuser), PRIVATE);
            if (!Files.exists(files.certificate) || !Files.exists(files.privateKey)) {
                Certificates.Pem tls = Certificates.selfSigned("xenon", 100);
                PrivateFiles.write(files.privateKey, tls.privateKey(), PRIVATE);
                PrivateFiles.write(files.certificate, tls.certificate(), PRIVATE);
            }
            user.ifPresent(u -> u.chown(dir));
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("while preparing the shared compute files in " + dir, e);
        }
    }

    /**
     * Users authenticate with SCRAM over TLS only, like on Neon; only the internal superuser may skip TLS, and
     * only from loopback. Computes listen on loopback alone until the proxy fronts them.
     */
    static String hba(Superuser superuser) {
        String admin = quote(superuser.name());
        return String.join("\n",
                "# Written by Xenon at every start; edits are overwritten.",
                "# TYPE   DATABASE     USER   ADDRESS        METHOD",
                "host     all          " + admin + "  127.0.0.1/32   scram-sha-256",
                "host     replication  " + admin + "  127.0.0.1/32   scram-sha-256",
                "host     all          " + admin + "  ::1/128        scram-sha-256",
                // The proxy reaches computes over loopback without TLS; it logs in as the client's role by SCRAM.
                "host     all          all    127.0.0.1/32   scram-sha-256",
                "hostssl  all          all    127.0.0.1/32   scram-sha-256",
                "hostssl  all          all    ::1/128        scram-sha-256",
                "");
    }

    private static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
