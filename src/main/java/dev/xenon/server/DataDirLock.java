package dev.xenon.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

import static java.util.Objects.requireNonNull;

/**
 * One server per data directory: an OS lock on {@code xenon.lock}, held for the life of the server, so a second
 * server on the same directory refuses before it touches anything (it would otherwise stop the first one's
 * Postgres processes as leftovers of a crashed run). The kernel drops the lock when the process dies, so a crash
 * never leaves a stale lock behind.
 *
 * <p>Java's locks are POSIX record locks: closing <em>any</em> descriptor of the file releases every lock the
 * process holds on it. A second server in the same JVM must therefore never open {@code xenon.lock}; it learns of
 * the first from {@code xenon.pid}, which names the holding process by pid and start time.
 */
public final class DataDirLock implements AutoCloseable {
    static final String LOCK_FILE = "xenon.lock";
    static final String OWNER_FILE = "xenon.pid";

    private final Path owner;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path owner, FileChannel channel, FileLock lock) {
        this.owner = owner;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock, creating the directory if needed.
     *
     * @throws DataDirInUse if another server, in this process or another, holds it
     */
    public static DataDirLock acquire(Path dataDir) {
        requireNonNull(dataDir, "dataDir is null");
        Path dir = dataDir.toAbsolutePath().normalize();
        Path lockFile = dir.resolve(LOCK_FILE);
        Path ownerFile = dir.resolve(OWNER_FILE);
        String self = identity(ProcessHandle.current());
        try {
            Files.createDirectories(dir);
            if (self.equals(readOwner(ownerFile))) {
                throw inUse(dir, ProcessHandle.current().pid(), " in this same process");
            }
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // Two servers of one JVM starting together, both before either wrote xenon.pid: rare, and closing
                // this channel may drop the other's OS lock, which it still believes it holds (see above).
                channel.close();
                throw inUse(dir, ProcessHandle.current().pid(), " in this same process");
            }
            if (lock == null) {
                String holder = readOwner(ownerFile);
                channel.close();
                throw inUse(dir, pidOf(holder), "");
            }
            // Written through the locked channel: another descriptor would release the lock when closed.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            writeOwner(ownerFile, self);
            return new DataDirLock(ownerFile, channel, lock);
        } catch (IOException e) {
            throw new UncheckedIOException("while locking the data directory " + dir, e);
        }
    }

    /** Releases the lock; the owner file goes first, so no later server takes a stale one for a live holder. */
    @Override
    public void close() {
        try {
            Files.deleteIfExists(owner);
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("while unlocking the data directory " + owner.getParent(), e);
        }
    }

    /** Pid and start time: a pid alone is reused, and in a container every run may be pid 1. */
    private static String identity(ProcessHandle process) {
        return process.pid() + " " + process.info().startInstant().map(Object::toString).orElse("-");
    }

    private static long pidOf(String owner) {
        try {
            return owner == null ? -1 : Long.parseLong(owner.split(" ", 2)[0]);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String readOwner(Path file) throws IOException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static void writeOwner(Path file, String identity) throws IOException {
        Path temp = file.resolveSibling(OWNER_FILE + ".tmp");
        Files.writeString(temp, identity + "\n", StandardCharsets.UTF_8);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static DataDirInUse inUse(Path dir, long pid, String where) {
        String holder = pid > 0 ? "pid " + pid : "pid unknown";
        return new DataDirInUse("the data directory " + dir + " is in use by another Xenon server (" + holder + ")"
                + where + "; stop it first, or start this one with another --data-dir");
    }

    /** Another server holds the data directory. */
    public static final class DataDirInUse extends RuntimeException {
        DataDirInUse(String message) {
            super(message);
        }
    }
}
