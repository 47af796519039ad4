package dev.xenon.provisioner.local.postgres;

import java.nio.file.Path;

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
        return new Superuser(NAME, SecretFile.loadOrCreate(file, "internal superuser password"));
    }
}
