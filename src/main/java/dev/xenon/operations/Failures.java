package dev.xenon.operations;

import dev.xenon.provisioner.Refused;
import dev.xenon.provisioner.SqlStates;
import dev.xenon.store.StoreUnavailable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure that another attempt cannot fix from one that may pass on its own. The first cause in the chain,
 * outermost first, that says either way decides; a failure nothing recognises counts as transient, so it is
 * retried, but only within the retry budget.
 */
public final class Failures {
    private Failures() {
    }

    static boolean permanent(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            // IllegalArgumentException: bad input that slipped past validation (an identifier, a setting, a port).
            if (cause instanceof PermanentFailure || cause instanceof Refused
                    || cause instanceof IllegalArgumentException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                if (SqlStates.permanent(sql.getSQLState())) {
                    return true;
                }
                if (SqlStates.transientState(sql.getSQLState())) {
                    return false;
                }
            }
            if (cause instanceof StoreUnavailable || cause instanceof IOException
                    || cause instanceof UncheckedIOException || cause instanceof TimeoutException) {
                return false;
            }
        }
        return false;
    }

    /** The first exception of {@code type} in the cause chain of {@code failure}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = next(cause)) {
            if (type.isInstance(cause)) {
                return Optional.of(type.cast(cause));
            }
        }
        return Optional.empty();
    }

    private static Throwable next(Throwable cause) {
        return cause.getCause() == cause ? null : cause.getCause();
    }
}
