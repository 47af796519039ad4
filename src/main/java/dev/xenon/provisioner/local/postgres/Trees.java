package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Predicate;

/** Deletes directory trees (data directories, unpack leftovers), depth first. */
public final class Trees {
    private Trees() {
    }

    public static void delete(Path root) {
        delete(root, file -> false);
    }

    /**
     * Deletes the tree; a regular file that {@code keeper} takes (it moved the file away, true) is left to it.
     */
    public static void delete(Path root, Predicate<Path> keeper) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile() && keeper.test(file)) {
                        return FileVisitResult.CONTINUE;
                    }
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("while deleting " + root, e);
        }
    }
}
