package dev.xenon.provisioner.local;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock per branch, held while its data directory is copied, changed or run. The operations engine already
 * orders steps that share a branch; this also covers the supervisor and shutdown, which act outside it.
 */
final class BranchLocks {
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    <T> T with(String branchId, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(branchId, id -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void run(String branchId, Runnable work) {
        with(branchId, () -> {
            work.run();
            return null;
        });
    }
}
