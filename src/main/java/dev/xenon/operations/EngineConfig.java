package dev.xenon.operations;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How the operation engine runs.
 *
 * @param workers  operations run at once (0: none run, for tests that look at queued operations)
 * @param lease    how long a claimed operation is held by its worker without renewal; the worker renews it every
 *                 third of it, so only a crashed server's operations are claimed again, once it lapses
 * @param idlePoll how often an idle worker looks for due operations nobody woke it for (retries, other servers')
 * @param retry    how transient failures are retried
 */
public record EngineConfig(int workers, Duration lease, Duration idlePoll, RetryPolicy retry) {
    public static final EngineConfig DEFAULT =
            new EngineConfig(2, Duration.ofMinutes(2), Duration.ofMillis(500), RetryPolicy.DEFAULT);

    public EngineConfig {
        requireNonNull(lease, "lease is null");
        requireNonNull(idlePoll, "idlePoll is null");
        requireNonNull(retry, "retry is null");
        if (workers < 0) {
            throw new IllegalArgumentException("operation workers must not be negative, got " + workers);
        }
        if (lease.isNegative() || lease.isZero() || idlePoll.isNegative() || idlePoll.isZero()) {
            throw new IllegalArgumentException("the operation lease and idle poll must be positive");
        }
    }

    public EngineConfig withWorkers(int count) {
        return new EngineConfig(count, lease, idlePoll, retry);
    }

    public EngineConfig withRetry(RetryPolicy policy) {
        return new EngineConfig(workers, lease, idlePoll, policy);
    }
}
