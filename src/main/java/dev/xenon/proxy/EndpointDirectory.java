package dev.xenon.proxy;

import java.util.Optional;

/**
 * What the proxy asks the rest of Xenon. Implementations must be thread-safe: every client connection runs on its
 * own virtual thread and calls in concurrently. Any method may throw {@link DirectoryUnavailable} when the answer
 * cannot be had now.
 */
public interface EndpointDirectory {
    /** Resolves by endpoint id (from SNI, options or password); empty if unknown or deleted. */
    Optional<EndpointInfo> byId(String endpointId);

    /** Resolves by the per-endpoint listening port; empty if no endpoint owns it. */
    Optional<EndpointInfo> byPort(int port);

    /**
     * Ensures the compute runs (starting it if idle and recording a start_compute operation) and returns where it
     * listens. The proxy already folds concurrent calls for one endpoint into one (see {@link SharedWakes}), but
     * several proxies may share one directory, so implementations should also make concurrent starts share one.
     *
     * @throws ComputeUnavailable with a message for the client if the compute cannot be started
     */
    ComputeAddress wake(String endpointId) throws ComputeUnavailable, InterruptedException;

    /**
     * The SCRAM-SHA-256 verifier ({@code SCRAM-SHA-256$iter:salt$StoredKey:ServerKey}) of login role {@code role} on
     * the endpoint's branch; empty if there is no such login role. The compute must store this same verifier: the
     * proxy logs in to it with the ClientKey the client proved (see {@code scram.ScramClient}).
     */
    Optional<String> scramVerifier(String endpointId, String role);

    /** A client session to the endpoint's compute was established (after authentication and compute login). */
    void sessionOpened(String endpointId);

    /**
     * That session ended.
     *
     * @param bytesTransferred bytes sent from the compute to the client during the session (egress, what Neon
     *                         reports as data_transfer_bytes)
     */
    void sessionClosed(String endpointId, long bytesTransferred);
}
