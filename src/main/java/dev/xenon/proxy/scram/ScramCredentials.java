package dev.xenon.proxy.scram;

import static java.util.Objects.requireNonNull;

/**
 * What the proxy holds after authenticating a client: the role's keys and the ClientKey the client proved it
 * has. With them the proxy can complete SCRAM against any server that stores the same verifier (the compute),
 * without ever knowing the password; see {@link ScramClient}.
 */
public record ScramCredentials(ScramKeys keys, byte[] clientKey) {
    public ScramCredentials {
        requireNonNull(keys, "keys is null");
        requireNonNull(clientKey, "clientKey is null");
        if (!keys.acceptsClientKey(clientKey)) {
            throw new IllegalArgumentException("the ClientKey does not match the StoredKey");
        }
    }
}
