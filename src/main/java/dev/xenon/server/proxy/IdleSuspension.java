package dev.xenon.server.proxy;

import dev.xenon.control.endpoints.EndpointService;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.proxy.IdleSuspender;
import dev.xenon.proxy.SessionActivity;
import dev.xenon.store.Db;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Scale to zero: suspends active endpoints that have had no client session for their suspend timeout. Activity
 * is what the proxy saw (open sessions, last close); an endpoint nobody connected to counts from its start.
 */
public final class IdleSuspension implements Runnable {
    private final Db db;
    private final EndpointStore endpoints;
    private final EndpointService endpointService;
    private final SessionActivity activity;
    private final Clock clock;

    public IdleSuspension(Db db, EndpointStore endpoints, EndpointService endpointService, SessionActivity activity,
                          Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.endpoints = endpoints;
        this.endpointService = endpointService;
        this.activity = activity;
        this.clock = clock;
    }

    @Override
    public void run() {
        List<IdleSuspender.EndpointActivity> active = db.read(h -> endpoints.listActive(h)).stream()
                .filter(e -> e.pendingState() == null)
                .map(this::activityOf)
                .toList();
        for (String endpointId : IdleSuspender.toSuspend(active, clock.instant())) {
            endpointService.suspendIdle(endpointId);
        }
    }

    private IdleSuspender.EndpointActivity activityOf(Endpoint e) {
        var seen = activity.of(e.id());
        Instant last = Stream.of(seen.map(SessionActivity.Snapshot::lastActive).orElse(null), e.lastActive(),
                        e.startedAt())
                .filter(java.util.Objects::nonNull).max(Instant::compareTo).orElse(clock.instant());
        return new IdleSuspender.EndpointActivity(e.id(), true,
                seen.map(SessionActivity.Snapshot::openSessions).orElse(0), last, e.suspendTimeoutSeconds());
    }
}
