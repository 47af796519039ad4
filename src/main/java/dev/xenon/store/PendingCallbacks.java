package dev.xenon.store;

import org.jdbi.v3.core.config.JdbiConfig;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a transaction asked to run once it commits ({@link Db#afterCommit}). Kept in the handle's own configuration,
 * which Jdbi copies for every handle it opens, so each transaction has its own set; a set, so that a signal raised by
 * several writes of one transaction is told once.
 */
public final class PendingCallbacks implements JdbiConfig<PendingCallbacks> {
    private final Set<Runnable> callbacks = new LinkedHashSet<>();

    void add(Runnable callback) {
        callbacks.add(callback);
    }

    List<Runnable> drain() {
        List<Runnable> drained = List.copyOf(callbacks);
        callbacks.clear();
        return drained;
    }

    /** A new handle starts with nothing pending, whatever the handle it was copied from held. */
    @Override
    public PendingCallbacks createCopy() {
        return new PendingCallbacks();
    }
}
