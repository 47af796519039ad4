package dev.xenon.throttle;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class FailureThrottleTest {
    private final AtomicLong now = new AtomicLong();
    private final FailureThrottle throttle = new FailureThrottle(new FailureThrottle.Limit(3, Duration.ofSeconds(10)),
            now::get);

    @Test
    void refusesOnceTheLimitIsReachedUntilTheOldestFailureLeavesTheWindow() {
        throttle.failed("k");
        advance(2);
        throttle.failed("k");
        assertThat(throttle.refusedFor("k")).isEmpty();
        advance(2);
        throttle.failed("k");
        assertThat(throttle.refusedFor("k")).contains(Duration.ofSeconds(6));
        assertThat(throttle.refusedFor("other")).isEmpty();
        advance(6);
        // The first failure left the window: one more attempt, and a failure closes it again.
        assertThat(throttle.refusedFor("k")).isEmpty();
        throttle.failed("k");
        assertThat(throttle.refusedFor("k")).contains(Duration.ofSeconds(2));
    }

    @Test
    void aSuccessClearsTheKey() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("k");
        }
        throttle.succeeded("k");
        assertThat(throttle.refusedFor("k")).isEmpty();
    }

    @Test
    void idleKeysAreForgottenWhenManyAreHeld() {
        for (int i = 0; i < 10_001; i++) {
            throttle.failed("addr" + i);
        }
        assertThat(throttle.keys()).isEqualTo(10_001);
        advance(11);
        for (int i = 0; i < 3; i++) {
            throttle.failed("late");
        }
        // Every key whose failures left the window is dropped; the one failing now is kept.
        assertThat(throttle.keys()).isEqualTo(1);
        assertThat(throttle.refusedFor("late")).isPresent();
    }

    private void advance(long seconds) {
        now.addAndGet(Duration.ofSeconds(seconds).toNanos());
    }
}
