package dev.xenon.operations;

/**
 * A step failed in a way that running it again cannot fix (its input is wrong, or what it works on is gone): the
 * operation fails at once with this message, and the operations queued behind it go ahead.
 */
public final class PermanentFailure extends RuntimeException {
    public PermanentFailure(String message) {
        super(message);
    }

    public PermanentFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
