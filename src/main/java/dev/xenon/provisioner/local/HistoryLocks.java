package dev.xenon.provisioner.local;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * One read-write lock per branch history. Recoveries read a history (its base copies and archive) for as long as
 * a replay takes, many at once; trimming and deleting it take the write lock. Kept apart from the branch locks
 * so that a long replay never holds up the branch's compute.
 */
final class HistoryLocks {
    private final KeyedLocks<ReentrantReadWriteLock> locks = new KeyedLocks<>(ReentrantReadWriteLock::new);

    <T> T reading(String branchId, Supplier<T> work) {
        return locks.with(branchId, lock -> with(lock.readLock(), work));
    }

    void writing(String branchId, Runnable work) {
        locks.with(branchId, lock -> with(lock.writeLock(), () -> {
            work.run();
            return null;
        }));
    }

    /** Runs {@code work} under the write lock unless a reader holds it longer than {@code millis}; false if skipped. */
    boolean tryWriting(String branchId, long millis, Runnable work) {
        return locks.with(branchId, lock -> tryWith(lock.writeLock(), millis, work));
    }

    private static boolean tryWith(Lock lock, long millis, Runnable work) {
        try {
            if (!lock.tryLock(millis, TimeUnit.MILLISECONDS)) {
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            work.run();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How many branches have a lock right now: for tests. */
    int size() {
        return locks.size();
    }

    private static <T> T with(Lock lock, Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
