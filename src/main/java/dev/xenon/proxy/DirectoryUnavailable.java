package dev.xenon.proxy;

/**
 * The {@link EndpointDirectory} cannot answer now (the control plane's store is down or restarting). The client is
 * told so at once with SQLSTATE 57P03 cannot_connect_now, which drivers and poolers treat as "retry shortly".
 */
public final class DirectoryUnavailable extends RuntimeException {
    public DirectoryUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
