package dev.xenon.provisioner.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Copies a file or directory tree like {@code cp -a} (contents, modes, owners, symbolic links), making each new
 * file out of an inode from {@link RecycledFiles} when one is available. Used on ext filesystems, where
 * allocating inodes soon after deleting others is what made copies slow; the bytes go through
 * {@code FileChannel.transferTo}, which the kernel copies without passing them through Java.
 */
final class RecyclingCopy {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private final RecycledFiles pool;

    RecyclingCopy(RecycledFiles pool) {
        this.pool = requireNonNull(pool, "pool is null");
    }

    /**
     * Copies {@code source} to {@code target}, which must not exist.
     *
     * @param live files that vanish while copying (a running server removed them) are skipped
     */
    void copy(Path source, Path target, boolean live) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path made = target.resolve(source.relativize(dir).toString());
                Files.createDirectory(made);
                copyOwnerAndMode(dir, made);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path made = target.resolve(source.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(made, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    copyFile(file, made, live);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (live && e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }
        });
    }

    private void copyFile(Path file, Path made, boolean live) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            if (!pool.take(made)) {
                Files.createFile(made);
            }
            try (FileChannel out = FileChannel.open(made, StandardOpenOption.WRITE)) {
                long size = in.size();
                long position = 0;
                while (position < size) {
                    long sent = in.transferTo(position, size - position, out);
                    if (sent <= 0) {
                        break;
                    }
                    position += sent;
                }
            }
            copyOwnerAndMode(file, made);
        } catch (NoSuchFileException e) {
            if (!live || Files.exists(file, NOFOLLOW)) {
                throw e;
            }
            if (Files.exists(made, NOFOLLOW) && !pool.give(made)) {
                Files.delete(made);
            }
        }
    }

    private static void copyOwnerAndMode(Path from, Path to) throws IOException {
        Map<String, Object> attrs = Files.readAttributes(from, "unix:mode,uid,gid", NOFOLLOW);
        Files.setAttribute(to, "unix:uid", attrs.get("uid"), NOFOLLOW);
        Files.setAttribute(to, "unix:gid", attrs.get("gid"), NOFOLLOW);
        Files.setAttribute(to, "unix:mode", (Integer) attrs.get("mode") & 07777);
    }
}
