package dev.xenon.server;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How often the server's periodic chores run (branch history keeping has its own, {@link HistoryConfig}).
 *
 * @param keyUseFlush        API keys' last use, counted in memory, is written to the store
 * @param expiredBranchSweep branches past their expiry time are deleted
 * @param idleSuspension     computes idle past their suspend timeout are suspended (scale to zero)
 * @param portSync           the proxy's endpoint listeners are matched to the endpoints in the store (as after every
 *                           committed endpoint insert or delete)
 */
public record BackgroundConfig(Duration keyUseFlush, Duration expiredBranchSweep, Duration idleSuspension,
                               Duration portSync) {
    public static final BackgroundConfig DEFAULT = new BackgroundConfig(Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofSeconds(1), Duration.ofSeconds(5));

    public BackgroundConfig {
        for (Duration interval : new Duration[] {keyUseFlush, expiredBranchSweep, idleSuspension, portSync}) {
            requireNonNull(interval, "background intervals must be set");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("background intervals must be positive, got " + interval);
            }
        }
    }
}
