package dev.xenon.server;

import java.nio.file.Path;

/**
 * Takes a data directory's lock from a process of its own, as a second server would: exits 0 after taking (and
 * releasing) it, 3 with the refusal on stderr if another holds it; with {@code hold}, keeps it until killed.
 */
public final class LockProbe {
    private LockProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(Path.of(args[0]));
        } catch (DataDirLock.DataDirInUse e) {
            System.err.println(e.getMessage());
            System.exit(3);
            return;
        }
        if (args.length > 1 && args[1].equals("hold")) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(Long.MAX_VALUE);
        }
        lock.close();
    }
}
