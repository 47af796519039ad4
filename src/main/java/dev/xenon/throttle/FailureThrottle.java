package dev.xenon.throttle;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Refuses attempts under a key (a client address, a role at an endpoint from an address) once it has failed
 * {@code maxFailures} times within {@code window}, until the oldest of those failures leaves the window. Guessing
 * is then bounded at {@code maxFailures} per window per key, whatever the attacker's speed, while someone who
 * mistypes a few times is not locked out for long. A success clears the key's failures.
 */
public final class FailureThrottle {
    /** Keys with no failure inside the window are forgotten once this many are held, so memory stays bounded. */
    private static final int PRUNE_ABOVE = 10_000;

    /** At most {@code maxFailures} failures per {@code window}. */
    public record Limit(int maxFailures, Duration window) {
        public Limit {
            requireNonNull(window, "window is null");
            if (maxFailures < 1 || window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a failure limit needs at least 1 failure and a positive window");
            }
        }

        @Override
        public String toString() {
            return maxFailures + " per " + window.toSeconds() + " s";
        }
    }

    private final Limit limit;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private volatile long nextPruneNanos;

    public FailureThrottle(Limit limit) {
        this(limit, System::nanoTime);
    }

    FailureThrottle(Limit limit, LongSupplier nanoTime) {
        this.limit = requireNonNull(limit, "limit is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** How long {@code key} must wait before its next attempt; empty when it may try now. */
    public Optional<Duration> refusedFor(String key) {
        Deque<Long> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        long now = nanoTime.getAsLong();
        synchronized (times) {
            expire(times, now);
            if (times.size() < limit.maxFailures()) {
                return Optional.empty();
            }
            return Optional.of(Duration.ofNanos(times.peekFirst() + limit.window().toNanos() - now));
        }
    }

    /** A wait in whole seconds, rounded up, for messages and Retry-After. */
    public static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    public void failed(String key) {
        long now = nanoTime.getAsLong();
        Deque<Long> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (times) {
            expire(times, now);
            times.addLast(now);
            // Only the newest maxFailures matter for the decision.
            while (times.size() > limit.maxFailures()) {
                times.removeFirst();
            }
        }
        if (failures.size() > PRUNE_ABOVE && now - nextPruneNanos >= 0) {
            // At most once per window: a flood of new keys must not make every failure scan the whole map.
            nextPruneNanos = now + limit.window().toNanos();
            failures.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    expire(e.getValue(), now);
                    return e.getValue().isEmpty();
                }
            });
        }
    }

    public void succeeded(String key) {
        failures.remove(key);
    }

    /** Keys held now. */
    int keys() {
        return failures.size();
    }

    private void expire(Deque<Long> times, long now) {
        long window = limit.window().toNanos();
        while (!times.isEmpty() && now - times.peekFirst() >= window) {
            times.removeFirst();
        }
    }
}
