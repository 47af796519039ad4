package dev.xenon.operations;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Tells in-process waiters that some operation just finished or failed, so that one waiting for an operation
 * (the proxy waking a compute) looks again at once instead of at its next poll. Waiters still poll: an operation
 * may be run by another server sharing the metadata store.
 */
public final class OperationSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition settled = lock.newCondition();
    private long generation;

    /** What to pass to {@link #awaitAfter}: taken before looking at the operation, so no signal is missed. */
    public long generation() {
        lock.lock();
        try {
            return generation;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until an operation settles after {@code seen} was taken, or {@code atMost} passes. */
    public void awaitAfter(long seen, Duration atMost) throws InterruptedException {
        long nanos = atMost.toNanos();
        lock.lock();
        try {
            while (generation == seen && nanos > 0) {
                nanos = settled.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        lock.lock();
        try {
            generation++;
            settled.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
