package dev.xenon.proxy.websocket;

/** A request the HTTPS port refuses, with the status to answer. */
public final class HttpError extends Exception {
    private final int status;

    public HttpError(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
