package dev.xenon.server;

import dev.xenon.control.model.PasswordCipher;
import dev.xenon.control.model.RoleStore;
import dev.xenon.provisioner.local.postgres.SecretFile;
import dev.xenon.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Where the key that encrypts role passwords comes from: XENON_SECRET_KEY when set, else {@code <data-dir>/secret-key}
 * (mode 600), made on first start. It is always local to this server, never in the metadata store, so a copy of the
 * store (an external one's backups included) reveals no password.
 */
final class PasswordKey {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordKey.class);
    private static final String FILE = "secret-key";

    private PasswordKey() {
    }

    /** The role store with its key, once any password left in plain text by an earlier version is encrypted. */
    static RoleStore openRoleStore(SecurityConfig security, Path dataDir, Db db) {
        RoleStore roles = new RoleStore(load(security, dataDir));
        int sealed = db.write(roles::sealPlaintext);
        if (sealed > 0) {
            LOG.info("encrypted {} role password(s) stored in plain text by an earlier version", sealed);
        }
        return roles;
    }

    private static PasswordCipher load(SecurityConfig security, Path dataDir) {
        if (security.secretKey().isPresent()) {
            return PasswordCipher.fromBase64(security.secretKey().get(), "XENON_SECRET_KEY");
        }
        Path file = dataDir.resolve(FILE);
        return PasswordCipher.fromBase64(SecretFile.loadOrCreate(file, "secret key", 32), file.toString());
    }
}
