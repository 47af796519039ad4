package dev.xenon.provisioner.local;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per branch, held while its data directory is copied, changed or run. The operations engine already
 * orders steps that share a branch; this also covers the supervisor and shutdown, which act outside it. Held
 * across process starts and copies, so it is a {@link ReentrantLock}: a virtual thread waiting for it unmounts,
 * where one waiting for a monitor would pin its carrier thread (JDK 21-23).
 */
final class BranchLocks {
    private final KeyedLocks<ReentrantLock> locks = new KeyedLocks<>(ReentrantLock::new);

    <T> T with(String branchId, Supplier<T> work) {
        return locks.with(branchId, lock -> {
            lock.lock();
            try {
                return work.get();
            } finally {
                lock.unlock();
            }
        });
    }

    void run(String branchId, Runnable work) {
        with(branchId, () -> {
            work.run();
            return null;
        });
    }

    /** How many branches have a lock right now: for tests. */
    int size() {
        return locks.size();
    }
}
