package dev.xenon.proxy;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * Per-endpoint session counts, last activity and bytes, for an {@link EndpointDirectory} implementation to
 * delegate {@code sessionOpened} / {@code sessionClosed} to and feed {@link IdleSuspender} and last_active from.
 */
public final class SessionActivity {
    /** A snapshot of one endpoint. */
    public record Snapshot(int openSessions, Instant lastActive, long bytesTransferred) {
    }

    private final Clock clock;
    private final Map<String, Snapshot> endpoints = new ConcurrentHashMap<>();

    public SessionActivity(Clock clock) {
        this.clock = requireNonNull(clock, "clock is null");
    }

    public void opened(String endpointId) {
        Instant now = clock.instant();
        endpoints.merge(endpointId, new Snapshot(1, now, 0),
                (old, add) -> new Snapshot(old.openSessions() + 1, now, old.bytesTransferred()));
    }

    public void closed(String endpointId, long bytes) {
        Instant now = clock.instant();
        endpoints.merge(endpointId, new Snapshot(0, now, bytes),
                (old, add) -> new Snapshot(Math.max(0, old.openSessions() - 1), now, old.bytesTransferred() + bytes));
    }

    public Optional<Snapshot> of(String endpointId) {
        return Optional.ofNullable(endpoints.get(endpointId));
    }
}
