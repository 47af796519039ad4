package dev.xenon.proxy;

/** The compute of an endpoint cannot be started; the message is shown to the client. */
public class ComputeUnavailable extends Exception {
    public ComputeUnavailable(String message) {
        super(message);
    }

    public ComputeUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
