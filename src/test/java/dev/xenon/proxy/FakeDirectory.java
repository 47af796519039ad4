package dev.xenon.proxy;

import dev.xenon.control.model.IpRule;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** The part of Xenon the proxy asks, reduced to maps and counters; the compute is one real Postgres. */
final class FakeDirectory implements EndpointDirectory {
    final Map<String, EndpointInfo> endpoints = new ConcurrentHashMap<>();
    /** role -> SCRAM verifier, the same on every endpoint. */
    final Map<String, String> verifiers = new ConcurrentHashMap<>();
    final Map<String, String> failingWakes = new ConcurrentHashMap<>();
    final AtomicInteger wakes = new AtomicInteger();
    /** Per endpoint: [sessions opened, sessions closed, bytes]. */
    final Map<String, long[]> activity = new ConcurrentHashMap<>();
    private final ComputeAddress compute;
    volatile Duration wakeDelay = Duration.ZERO;

    FakeDirectory(ComputeAddress compute) {
        this.compute = compute;
    }

    EndpointInfo add(String id, int ownPort) {
        return put(new EndpointInfo(id, "prj-" + id, false, List.of(), false, false, ownPort));
    }

    /** Entries parsed by the parser the server uses for projects' allowlists. */
    static List<AddressRule> allowlist(String... entries) {
        return Stream.of(entries).<AddressRule>map(e -> IpRule.parse("allowed_ips", e)::matches).toList();
    }

    EndpointInfo put(EndpointInfo endpoint) {
        endpoints.put(endpoint.endpointId(), endpoint);
        return endpoint;
    }

    @Override
    public Optional<EndpointInfo> byId(String endpointId) {
        return Optional.ofNullable(endpoints.get(endpointId));
    }

    @Override
    public Optional<EndpointInfo> byPort(int port) {
        return endpoints.values().stream().filter(e -> e.ownPort() == port).findFirst();
    }

    @Override
    public ComputeAddress wake(String endpointId) throws ComputeUnavailable, InterruptedException {
        wakes.incrementAndGet();
        Thread.sleep(wakeDelay.toMillis());
        String failure = failingWakes.get(endpointId);
        if (failure != null) {
            throw new ComputeUnavailable(failure);
        }
        return compute;
    }

    @Override
    public Optional<String> scramVerifier(String endpointId, String role) {
        return Optional.ofNullable(verifiers.get(role));
    }

    @Override
    public void sessionOpened(String endpointId) {
        activity.compute(endpointId, (id, a) -> a == null ? new long[] {1, 0, 0} : new long[] {a[0] + 1, a[1], a[2]});
    }

    @Override
    public void sessionClosed(String endpointId, long bytesTransferred) {
        activity.compute(endpointId, (id, a) -> a == null ? new long[] {0, 1, bytesTransferred}
                : new long[] {a[0], a[1] + 1, a[2] + bytesTransferred});
    }
}
