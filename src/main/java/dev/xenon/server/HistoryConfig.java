package dev.xenon.server;

import dev.xenon.units.DataSize;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How branch history is kept.
 *
 * @param interval       how often each branch's history is maintained (base copies taken, expired history removed)
 * @param baseWal        a new base copy of a branch is due once this much WAL was written since its last one ...
 * @param baseSizeFactor ... and at least this many times the data's size (0: regardless of size); see
 *                       {@code LocalProvisioner.Config}
 */
public record HistoryConfig(Duration interval, DataSize baseWal, double baseSizeFactor) {
    public static final HistoryConfig DEFAULT =
            new HistoryConfig(Duration.ofSeconds(60), DataSize.ofMegabytes(256), 1.0);

    public HistoryConfig {
        requireNonNull(interval, "interval is null");
        requireNonNull(baseWal, "baseWal is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the history maintenance interval must be positive");
        }
        if (baseSizeFactor < 0) {
            throw new IllegalArgumentException("base copy thresholds must not be negative");
        }
    }
}
