package dev.xenon.provisioner.local.postgres;

import dev.xenon.certificates.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import static java.util.Objects.requireNonNull;

/**
 * A secret kept in a file only Xenon's account can read (mode 600): the internal superuser's and the metadata
 * store's passwords, the bootstrap API key. Written whole to a temporary file and renamed, so a crash never leaves
 * an empty or partial secret behind.
 */
public final class SecretFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretFile() {
    }

    /**
     * The secret in {@code file}, or a new random one (24 bytes, base64url) written there first.
     *
     * @param what names the secret in errors
     */
    public static String loadOrCreate(Path file, String what) {
        return loadOrCreate(file, what, 24);
    }

    /** As {@link #loadOrCreate(Path, String)}, a new secret being {@code randomBytes} random bytes. */
    public static String loadOrCreate(Path file, String what, int randomBytes) {
        requireNonNull(file, "file is null");
        try {
            if (Files.exists(file)) {
                String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (secret.isEmpty()) {
                    throw new IllegalStateException("the " + what + " file " + file + " is empty");
                }
                return secret;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while reading the " + what + " from " + file, e);
        }
        byte[] random = new byte[randomBytes];
        RANDOM.nextBytes(random);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        write(file, secret, what);
        return secret;
    }

    /** Writes {@code secret} to {@code file}, replacing what it held. */
    public static void write(Path file, String secret, String what) {
        requireNonNull(secret, "secret is null");
        try {
            PrivateFiles.write(file, secret + "\n", "rw-------");
        } catch (IOException e) {
            throw new UncheckedIOException("while writing the " + what + " to " + file, e);
        }
    }
}
