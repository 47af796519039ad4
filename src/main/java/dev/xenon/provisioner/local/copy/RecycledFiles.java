package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.DataLayout;
import dev.xenon.provisioner.local.postgres.OsUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Emptied files kept under {@code <data-dir>/recycled} for reuse, so that copying a data directory renames
 * existing inodes into place instead of allocating new ones.
 *
 * <p>Why: ext4 without a journal (as on these machines' disks) will not hand out an inode freed in the last
 * seconds to minutes while another is free, and finds that out by scanning the block group's free inodes one by
 * one from its start ({@code recently_deleted} in {@code fs/ext4/ialloc.c}). Xenon deletes and makes data
 * directories by the thousand files (branches, base copies, spares), so every file of a copy made soon after a
 * deletion cost 0.4-0.7 ms instead of 0.04 and a small branch took a second. Files handed back here are truncated
 * to zero length first (no data is kept; only the inode and a name), and only up to a capacity: beyond it,
 * deleting deletes. It keeps only files of one owner (the account computes run as) and mode 600, as nearly every
 * file of a data directory is, so that a reused file needs no chown or chmod. So that the first copies after a
 * start (or after deletions made by others) do not wait either, a background thread keeps a few clusters' worth
 * of empty files made in advance, while no copy is drawing on them (making a file locks the directory the copies
 * take files from).
 *
 * <p>Only filesystems of the ext family use it; on others (XFS, Btrfs) copies are reflinks made by {@code cp}.
 */
public final class RecycledFiles implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RecycledFiles.class);
    private static final Set<String> EXT_FILESYSTEMS = Set.of("ext2", "ext3", "ext4");
    private static final int KEPT_MODE = 0600;
    /** The filler waits this long after the last file was taken, and makes files in batches of {@link #BATCH}. */
    private static final long QUIET_NANOS = Duration.ofMillis(300).toNanos();
    private static final int BATCH = 50;

    private final Path root;
    private final Path dir;
    private final int uid;
    private final int gid;
    private final int capacity;
    private final int keepReady;
    private final Semaphore lowOnFiles = new Semaphore(0);

    private volatile boolean closed;
    private volatile long lastTaken = System.nanoTime() - QUIET_NANOS;
    private Thread filler;
    private final Queue<Path> free = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong names = new AtomicLong();
    private final String prefix = Long.toString(System.currentTimeMillis(), 36) + "-";

    private RecycledFiles(Path root, Path dir, int uid, int gid, int capacity, int keepReady) {
        this.root = root;
        this.dir = dir;
        this.uid = uid;
        this.gid = gid;
        this.capacity = capacity;
        this.keepReady = keepReady;
    }

    /**
     * The pool for the trees under {@code root}, kept in {@code dir} (under {@code root}); empty when the
     * filesystem does not need one. Deleting a tree under {@code root} with {@link Recycling#deleteTree} fills it
     * until closed.
     *
     * @param owner     the account whose files it keeps; empty: Xenon's own
     * @param capacity  how many files it keeps at most
     * @param keepReady how many it makes in advance when deletions have not given it as many
     */
    public static Optional<RecycledFiles> open(Path root, Path dir, Optional<OsUser> owner, int capacity, int keepReady) {
        Path absolute = root.toAbsolutePath().normalize();
        try {
            if (!EXT_FILESYSTEMS.contains(Files.getFileStore(absolute).type())) {
                return Optional.empty();
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        Path kept = DataLayout.privateDir(dir.toAbsolutePath().normalize());
        RecycledFiles pool;
        try {
            int uid = owner.isPresent() ? owner.get().uid() : (Integer) Files.getAttribute(kept, "unix:uid");
            int gid = owner.isPresent() ? owner.get().gid() : (Integer) Files.getAttribute(kept, "unix:gid");
            pool = new RecycledFiles(absolute, kept, uid, gid, capacity, Math.min(keepReady, capacity));
        } catch (IOException e) {
            throw new UncheckedIOException("while preparing " + kept, e);
        }
        pool.filler = Thread.ofVirtual().name("xenon-recycled-files").start(pool::keepFilesReady);
        return Optional.of(pool);
    }

    private void keepFilesReady() {
        try {
            adoptKeptFiles();
            while (!closed) {
                while (!closed && size.get() < keepReady) {
                    long quietFor = System.nanoTime() - lastTaken;
                    if (quietFor < QUIET_NANOS) {
                        Thread.sleep(Duration.ofNanos(QUIET_NANOS - quietFor));
                        continue;
                    }
                    for (int i = Math.min(BATCH, keepReady - size.get()); i > 0; i--) {
                        Path made = dir.resolve(prefix + names.incrementAndGet());
                        Files.createFile(made, PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
                        Files.setAttribute(made, "unix:uid", uid);
                        Files.setAttribute(made, "unix:gid", gid);
                        free.add(made);
                        size.incrementAndGet();
                    }
                }
                lowOnFiles.acquire();
                lowOnFiles.drainPermits();
            }
        } catch (IOException e) {
            LOG.warn("stopped making files in advance in {}: {}", dir, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Takes in what an earlier run kept, checking each: the account computes run as may have changed since. Files
     * of this run (given back meanwhile) are known already.
     */
    private void adoptKeptFiles() throws IOException {
        try (DirectoryStream<Path> kept = Files.newDirectoryStream(dir, f -> !f.getFileName().toString()
                .startsWith(prefix))) {
            for (Path file : kept) {
                if (closed) {
                    return;
                }
                Map<String, Object> attrs;
                try {
                    attrs = Files.readAttributes(file, "unix:mode,uid,gid,size,nlink", LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (keepsFilesLike(attrs) && (Long) attrs.get("size") == 0 && (Integer) attrs.get("nlink") == 1
                        && ((Integer) attrs.get("mode") & 0170000) == 0100000) {
                    free.add(file);
                    size.incrementAndGet();
                } else {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Whether a file with these {@code unix:} attributes has the owner and mode of the files kept here. */
    boolean keepsFilesLike(Map<String, Object> attrs) {
        return (Integer) attrs.get("uid") == uid && (Integer) attrs.get("gid") == gid
                && ((Integer) attrs.get("mode") & 07777) == KEPT_MODE;
    }

    /** Whether this open pool takes the files of {@code path} when it is deleted: not the pool itself or above. */
    boolean serves(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return !closed && absolute.startsWith(root) && !absolute.startsWith(dir) && !dir.startsWith(absolute);
    }

    /**
     * Renames an emptied file to {@code target}, which must not exist. False when the pool is empty: the caller
     * creates the file itself.
     */
    boolean take(Path target) {
        lastTaken = System.nanoTime();
        Path file;
        while ((file = free.poll()) != null) {
            size.decrementAndGet();
            if (size.get() < keepReady) {
                lowOnFiles.release();
            }
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                return true;
            } catch (IOException e) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    // The target is the trouble (its directory is gone, say): keep the file for the next copy.
                    free.add(file);
                    size.incrementAndGet();
                    return false;
                }
                // This one is gone (someone cleaned the directory): try the next.
            }
        }
        return false;
    }

    /**
     * Empties the regular file {@code file} and keeps its inode. False when the pool is full or the file is not
     * one to keep (another hard link shares it, another owner or mode, another filesystem): the caller deletes it.
     */
    boolean give(Path file) {
        if (size.get() >= capacity) {
            return false;
        }
        try {
            Map<String, Object> attrs = Files.readAttributes(file, "unix:mode,uid,gid,nlink",
                    LinkOption.NOFOLLOW_LINKS);
            if ((Integer) attrs.get("nlink") != 1 || !keepsFilesLike(attrs)) {
                return false;
            }
            try (FileChannel emptied = FileChannel.open(file, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                // Opening with O_TRUNC frees its blocks; nothing else to do.
            }
            Path kept = dir.resolve(prefix + names.incrementAndGet());
            Files.move(file, kept, StandardCopyOption.ATOMIC_MOVE);
            free.add(kept);
            size.incrementAndGet();
            return true;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    int size() {
        return size.get();
    }

    @Override
    public void close() {
        closed = true;
        lowOnFiles.release();
        try {
            filler.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
