package dev.xenon.proxy;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import static java.util.Objects.requireNonNull;

/**
 * Folds concurrent wakes of one endpoint into one call to {@link EndpointDirectory#wake}: a burst of connections to
 * a suspended endpoint starts its compute once, and every connection waits for that one start.
 */
final class SharedWakes {
    private final EndpointDirectory directory;
    private final Map<String, CompletableFuture<ComputeAddress>> inFlight = new ConcurrentHashMap<>();

    SharedWakes(EndpointDirectory directory) {
        this.directory = requireNonNull(directory, "directory is null");
    }

    ComputeAddress wake(String endpointId) throws ComputeUnavailable, InterruptedException {
        CompletableFuture<ComputeAddress> mine = new CompletableFuture<>();
        CompletableFuture<ComputeAddress> running = inFlight.putIfAbsent(endpointId, mine);
        if (running == null) {
            try {
                mine.complete(directory.wake(endpointId));
            } catch (InterruptedException e) {
                // Only this caller was interrupted; those waiting with it hear that the start did not finish.
                mine.completeExceptionally(e);
                throw e;
            } catch (Throwable e) {
                mine.completeExceptionally(e);
            } finally {
                inFlight.remove(endpointId, mine);
            }
            running = mine;
        }
        try {
            return running.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ComputeUnavailable unavailable) {
                throw new ComputeUnavailable(unavailable.getMessage(), unavailable);
            }
            if (cause instanceof InterruptedException) {
                throw new ComputeUnavailable("the start of the compute was interrupted", cause);
            }
            throw new ComputeUnavailable("the compute could not be started: " + cause.getMessage(), cause);
        }
    }
}
