package dev.xenon.store;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static java.util.Objects.requireNonNull;

/**
 * Something a store wrote that others act on once it is committed (operations queued, endpoints changed). The store
 * raises it inside the transaction; subscribers, wired after the stores exist, hear of it after the commit, on the
 * committing thread, once per transaction however often it was raised, and never for a transaction rolled back.
 */
public final class CommitSignal {
    private final List<Runnable> subscribers = new CopyOnWriteArrayList<>();

    public void subscribe(Runnable subscriber) {
        subscribers.add(requireNonNull(subscriber, "subscriber is null"));
    }

    /** Tells every subscriber after the transaction of {@code h} commits. */
    public void raise(Handle h) {
        for (Runnable subscriber : subscribers) {
            Db.afterCommit(h, subscriber);
        }
    }
}
