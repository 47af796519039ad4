package dev.xenon.proxy;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Decides which computes to suspend for inactivity (Neon's suspend_timeout_seconds: 0 means the default of five
 * minutes, -1 means never). A compute with an open session is active however quiet the session is. Pure: the
 * caller supplies the state and the time, and runs the suspend operations.
 */
public final class IdleSuspender {
    public static final Duration DEFAULT_SUSPEND_TIMEOUT = Duration.ofSeconds(300);
    public static final int NEVER = -1;

    private IdleSuspender() {
    }

    /**
     * One endpoint's state.
     *
     * @param lastActive            when its last session ended, or when its compute started if it never had one
     * @param suspendTimeoutSeconds the endpoint's setting: 0 default, -1 never, else seconds
     */
    public record EndpointActivity(String endpointId, boolean computeRunning, int openSessions, Instant lastActive,
                                   int suspendTimeoutSeconds) {
        public EndpointActivity {
            requireNonNull(endpointId, "endpointId is null");
            requireNonNull(lastActive, "lastActive is null");
            if (openSessions < 0) {
                throw new IllegalArgumentException("negative session count for " + endpointId);
            }
        }
    }

    /** The idle time after which a compute is suspended; empty for never. */
    public static Optional<Duration> suspendTimeout(int suspendTimeoutSeconds) {
        if (suspendTimeoutSeconds == NEVER) {
            return Optional.empty();
        }
        if (suspendTimeoutSeconds < 0) {
            throw new IllegalArgumentException("invalid suspend_timeout_seconds " + suspendTimeoutSeconds);
        }
        return Optional.of(suspendTimeoutSeconds == 0 ? DEFAULT_SUSPEND_TIMEOUT
                : Duration.ofSeconds(suspendTimeoutSeconds));
    }

    /** When this endpoint's compute becomes due for suspension; empty if it is not heading that way now. */
    public static Optional<Instant> dueAt(EndpointActivity endpoint) {
        if (!endpoint.computeRunning() || endpoint.openSessions() > 0) {
            return Optional.empty();
        }
        return suspendTimeout(endpoint.suspendTimeoutSeconds()).map(endpoint.lastActive()::plus);
    }

    /** The endpoints whose computes should be suspended at {@code now}. */
    public static List<String> toSuspend(Collection<EndpointActivity> endpoints, Instant now) {
        requireNonNull(now, "now is null");
        return endpoints.stream()
                .filter(e -> dueAt(e).filter(due -> !due.isAfter(now)).isPresent())
                .map(EndpointActivity::endpointId)
                .toList();
    }

    /** The earliest time after {@code now} an endpoint becomes due, to know when to look again. */
    public static Optional<Instant> nextCheck(Collection<EndpointActivity> endpoints, Instant now) {
        return endpoints.stream().flatMap(e -> dueAt(e).stream()).filter(now::isBefore).min(Instant::compareTo);
    }
}
