package dev.xenon.operations;

import dev.xenon.provisioner.Refused;
import dev.xenon.provisioner.SqlStates;
import dev.xenon.store.StoreUnavailable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure that another attempt cannot fix from one that may pass on its own. The first cause in the chain,
 * outermost first, that says either way decides; a failure nothing recognises counts as transient, so it is
 * retried, but only within the retry budget.
 */
final class Failures {
    private Failures() {
    }

    static boolean permanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // IllegalArgumentException: bad input that slipped past validation (an identifier, a setting, a port).
            if (cause instanceof PermanentFailure || cause instanceof Refused
                    || cause instanceof IllegalArgumentException) {
                return true;
            }
            if (cause instanceof SQLException sql && SqlStates.permanent(sql.getSQLState())) {
                return true;
            }
            if (cause instanceof SQLException sql && SqlStates.transientState(sql.getSQLState())) {
                return false;
            }
            if (cause instanceof StoreUnavailable || cause instanceof IOException
                    || cause instanceof UncheckedIOException || cause instanceof TimeoutException) {
                return false;
            }
        }
        return false;
    }
}
