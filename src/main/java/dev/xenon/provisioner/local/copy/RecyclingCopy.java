package dev.xenon.provisioner.local.copy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Copies a file or directory tree like {@code cp -a} (contents, modes, owners, symbolic links), making each new
 * file out of an inode from {@link RecycledFiles} when one is available. Used on ext filesystems, where
 * allocating inodes soon after deleting others is what made copies slow. Every system call per file counts here
 * (a branch copies about 2,500): one stat per entry gives type, owner, mode and size; a reused file already has
 * the owner and mode of nearly every data file; the bytes go through {@code FileChannel.transferTo}
 * ({@code copy_file_range}), which never passes them through Java.
 */
final class RecyclingCopy {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final String ATTRIBUTES = "unix:mode,uid,gid,size";
    private static final int TYPE_MASK = 0170000;
    private static final int DIRECTORY = 0040000;
    private static final int REGULAR = 0100000;
    private static final int SYMBOLIC_LINK = 0120000;

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
        Map<String, Object> attrs;
        try {
            attrs = Files.readAttributes(source, ATTRIBUTES, NOFOLLOW);
        } catch (NoSuchFileException e) {
            if (live) {
                return;
            }
            throw e;
        }
        switch ((Integer) attrs.get("mode") & TYPE_MASK) {
            case DIRECTORY -> copyDirectory(source, target, attrs, live);
            case REGULAR -> copyFile(source, target, attrs, live);
            case SYMBOLIC_LINK -> Files.createSymbolicLink(target, Files.readSymbolicLink(source));
            default -> {
                // Sockets and pipes: runtime objects, never part of a data directory's state.
            }
        }
    }

    private void copyDirectory(Path source, Path target, Map<String, Object> attrs, boolean live)
            throws IOException {
        Files.createDirectory(target);
        setOwnerAndMode(target, attrs);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(source)) {
            for (Path entry : entries) {
                copy(entry, target.resolve(entry.getFileName().toString()), live);
            }
        } catch (NoSuchFileException e) {
            if (!live) {
                throw e;
            }
        }
    }

    private void copyFile(Path file, Path made, Map<String, Object> attrs, boolean live) throws IOException {
        long size = (Long) attrs.get("size");
        if (size == 0 && pool.take(made)) {
            // A kept file is empty already: a sixth of a cluster's files (free space maps yet to be written, ...).
            if (!pool.keepsFilesLike(attrs)) {
                setOwnerAndMode(made, attrs);
            }
            return;
        }
        FileChannel in;
        try {
            in = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            if (live) {
                return;
            }
            throw e;
        }
        try (in) {
            boolean reused = pool.take(made);
            if (!reused) {
                Files.createFile(made);
            }
            // Up to the size seen when listing: in a live copy, what a running server appends later is in the WAL
            // that recovery replays; otherwise nothing changes the source meanwhile.
            try (FileChannel out = FileChannel.open(made, StandardOpenOption.WRITE)) {
                for (long position = 0; position < size; ) {
                    long sent = in.transferTo(position, size - position, out);
                    if (sent <= 0) {
                        break;
                    }
                    position += sent;
                }
            }
            if (!reused || !pool.keepsFilesLike(attrs)) {
                setOwnerAndMode(made, attrs);
            }
        }
    }

    private static void setOwnerAndMode(Path path, Map<String, Object> attrs) throws IOException {
        Files.setAttribute(path, "unix:uid", attrs.get("uid"), NOFOLLOW);
        Files.setAttribute(path, "unix:gid", attrs.get("gid"), NOFOLLOW);
        Files.setAttribute(path, "unix:mode", (Integer) attrs.get("mode") & 07777);
    }
}
