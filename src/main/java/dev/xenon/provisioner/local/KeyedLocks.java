package dev.xenon.provisioner.local;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One lock per key (a branch id), made when first needed and dropped once nobody holds or waits for it, so that
 * the map does not grow with every branch ever touched. A user counts from {@link #acquire} to {@link #release}:
 * while any does, every caller for that key gets the same lock.
 */
final class KeyedLocks<L> {
    private static final class Entry<L> {
        final L lock;
        int users;

        Entry(L lock) {
            this.lock = lock;
        }
    }

    private final Supplier<L> factory;
    private final Map<String, Entry<L>> entries = new ConcurrentHashMap<>();

    KeyedLocks(Supplier<L> factory) {
        this.factory = factory;
    }

    /** Runs {@code work} with the key's lock, which it locks and unlocks itself. */
    <T> T with(String key, Function<L, T> work) {
        L lock = acquire(key);
        try {
            return work.apply(lock);
        } finally {
            release(key);
        }
    }

    private L acquire(String key) {
        // compute() runs under the map's bin lock: only counting happens there, never waiting for the lock itself.
        return entries.compute(key, (k, entry) -> {
            Entry<L> counted = entry == null ? new Entry<>(factory.get()) : entry;
            counted.users++;
            return counted;
        }).lock;
    }

    private void release(String key) {
        entries.computeIfPresent(key, (k, entry) -> --entry.users == 0 ? null : entry);
    }

    /** How many keys have a lock right now: for tests. */
    int size() {
        return entries.size();
    }
}
