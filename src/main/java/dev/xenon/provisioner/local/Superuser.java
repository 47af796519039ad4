package dev.xenon.provisioner.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * The internal superuser every cluster of this installation is created with. Users never see it: the control
 * plane reserves its name, and its password is random per installation and readable only by Xenon.
 */
public record Superuser(String name, String password) {
    public static final String NAME = "xenon_admin";

    public Superuser {
        requireNonNull(name, "name is null");
        requireNonNull(password, "password is null");
    }

    /** The installation's superuser, with the password from {@code file}, created (mode 600) on first use. */
    public static Superuser loadOrCreate(Path file) {
        requireNonNull(file, "file is null");
        try {
            if (Files.exists(file)) {
                String password = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (password.isEmpty()) {
                    throw new IllegalStateException("the internal superuser password file " + file + " is empty");
                }
                return new Superuser(NAME, password);
            }
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Files.createDirectories(file.getParent());
            // Written whole and renamed, so a crash never leaves an empty or partial password behind.
            Path temp = Files.createTempFile(file.getParent(), ".admin-password-", "",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, password + "\n", StandardCharsets.UTF_8);
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temp);
            }
            return new Superuser(NAME, password);
        } catch (IOException e) {
            throw new UncheckedIOException("while loading the internal superuser password from " + file, e);
        }
    }

    @Override
    public String toString() {
        return "Superuser[" + name + "]";
    }
}
