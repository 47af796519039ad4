package dev.xenon.operations;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Attempt n (1-based) waits {@code base * 2^(n-1)}, capped at {@code max}, before the next one. No attempt is made
 * past {@code budget}: the time the operation has spent running and waiting since it was first tried, which is how
 * long the operations queued behind it on the same branch wait for a transient failure at most (plus one attempt's
 * own run time).
 */
public record RetryPolicy(Duration base, Duration max, Duration budget) {
    public static final RetryPolicy DEFAULT =
            new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60));

    public RetryPolicy {
        requireNonNull(base, "base is null");
        requireNonNull(max, "max is null");
        requireNonNull(budget, "budget is null");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || budget.isNegative()) {
            throw new IllegalArgumentException("invalid retry policy " + base + ", " + max + ", " + budget);
        }
    }

    Duration delay(int attempt) {
        long millis = base.toMillis() << Math.min(attempt - 1, 20);
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /**
     * When to try again after failed attempt {@code attempt}, the attempts so far having run for {@code ranMillis} in
     * all; empty once that would go past the budget.
     */
    Optional<Duration> next(int attempt, long ranMillis) {
        long waited = 0;
        for (int i = 1; i < attempt; i++) {
            waited += delay(i).toMillis();
        }
        Duration delay = delay(attempt);
        return ranMillis + waited + delay.toMillis() > budget.toMillis() ? Optional.empty() : Optional.of(delay);
    }
}
