package dev.xenon.server;

import dev.xenon.control.roles.PasswordCipher;
import dev.xenon.provisioner.local.SecretFile;

import java.nio.file.Path;

/**
 * Where the key that encrypts role passwords comes from: XENON_SECRET_KEY when set, else {@code <data-dir>/secret-key}
 * (mode 600), made on first start. It is always local to this server, never in the metadata store, so a copy of the
 * store (an external one's backups included) reveals no password.
 */
final class PasswordKey {
    static final String FILE = "secret-key";

    private PasswordKey() {
    }

    static PasswordCipher load(SecurityConfig security, Path dataDir) {
        if (security.secretKey().isPresent()) {
            return PasswordCipher.fromBase64(security.secretKey().get(), "XENON_SECRET_KEY");
        }
        Path file = dataDir.resolve(FILE);
        return PasswordCipher.fromBase64(SecretFile.loadOrCreate(file, "secret key", 32), file.toString());
    }
}
