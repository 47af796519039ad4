package dev.xenon.certificates;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

import static java.util.Objects.requireNonNull;

/** Writes the files that hold keys, certificates and secrets: whole or not at all, with their mode from the start. */
public final class PrivateFiles {
    private PrivateFiles() {
    }

    /**
     * Replaces {@code file} in one step (a temporary file renamed over it), so a reader or a crash never sees an
     * empty or partial file.
     *
     * @param permissions such as {@code rw-------}; the temporary file has them before the content is written
     */
    public static void write(Path file, String content, String permissions) throws IOException {
        requireNonNull(content, "content is null");
        Files.createDirectories(file.getParent());
        Path temp = Files.createTempFile(file.getParent(), "." + file.getFileName() + "-", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
