package dev.xenon.store;

/** The metadata store cannot be reached (down, restarting, or every connection busy): try again shortly. */
public final class StoreUnavailable extends RuntimeException {
    public StoreUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
