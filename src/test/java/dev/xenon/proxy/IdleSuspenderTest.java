package dev.xenon.proxy;

import dev.xenon.proxy.IdleSuspender.EndpointActivity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdleSuspenderTest {
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    record Case(String name, boolean running, int sessions, Duration idleFor, int timeoutSeconds, boolean suspend) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("default timeout (0) not yet reached", true, 0, Duration.ofSeconds(299), 0, false),
                new Case("default timeout (0) reached exactly", true, 0, Duration.ofSeconds(300), 0, true),
                new Case("default timeout (0) passed", true, 0, Duration.ofHours(1), 0, true),
                new Case("never (-1) even after a day", true, 0, Duration.ofDays(1), -1, false),
                new Case("own timeout not yet reached", true, 0, Duration.ofSeconds(59), 60, false),
                new Case("own timeout reached", true, 0, Duration.ofSeconds(60), 60, true),
                new Case("open session keeps it running", true, 1, Duration.ofDays(1), 60, false),
                new Case("already suspended", false, 0, Duration.ofDays(1), 60, false),
                new Case("activity in the future (clock skew)", true, 0, Duration.ofSeconds(-30), 60, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decidesWhetherToSuspend(Case c) {
        EndpointActivity endpoint = new EndpointActivity("ep-x", c.running(), c.sessions(), NOW.minus(c.idleFor()),
                c.timeoutSeconds());
        assertThat(IdleSuspender.toSuspend(List.of(endpoint), NOW)).isEqualTo(c.suspend() ? List.of("ep-x") : List.of());
    }

    @Test
    void picksOnlyTheDueEndpointsAndTellsWhenToLookAgain() {
        List<EndpointActivity> endpoints = List.of(
                new EndpointActivity("ep-due", true, 0, NOW.minusSeconds(400), 0),
                new EndpointActivity("ep-soon", true, 0, NOW.minusSeconds(50), 60),
                new EndpointActivity("ep-later", true, 0, NOW.minusSeconds(10), 0),
                new EndpointActivity("ep-busy", true, 3, NOW.minusSeconds(9999), 60));

        assertThat(IdleSuspender.toSuspend(endpoints, NOW)).containsExactly("ep-due");
        assertThat(IdleSuspender.nextCheck(endpoints, NOW)).contains(NOW.plusSeconds(10));
    }

    @Test
    void timeoutSettingMapsToDuration() {
        assertThat(IdleSuspender.suspendTimeout(0)).contains(Duration.ofMinutes(5));
        assertThat(IdleSuspender.suspendTimeout(-1)).isEmpty();
        assertThat(IdleSuspender.suspendTimeout(3600)).contains(Duration.ofHours(1));
        assertThatThrownBy(() -> IdleSuspender.suspendTimeout(-2)).isInstanceOf(IllegalArgumentException.class);
    }
}
