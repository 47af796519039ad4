package dev.xenon.store;

import java.time.Duration;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Where the metadata lives and how it is reached.
 *
 * @param databaseUrl       an external PostgreSQL (--database-url); empty: the embedded one under the data directory
 * @param poolSize          pooled connections; API transactions last a few milliseconds, so a few serve many callers
 * @param connectionTimeout how long a caller waits for a pooled connection. Hikari's default, 30 s, turned a dead
 *                          store into API calls hanging for 30 s. A healthy pool hands out a connection in well
 *                          under a millisecond, so only a store that is down or swamped ever makes a caller wait this
 *                          long.
 */
public record StoreConfig(Optional<String> databaseUrl, int poolSize, Duration connectionTimeout) {
    public static final StoreConfig DEFAULT = new StoreConfig(Optional.empty(), 8, Duration.ofMillis(1500));

    public StoreConfig {
        requireNonNull(databaseUrl, "databaseUrl is null");
        requireNonNull(connectionTimeout, "connectionTimeout is null");
        if (poolSize < 1) {
            throw new IllegalArgumentException("the metadata connection pool needs at least 1 connection, got "
                    + poolSize);
        }
        if (connectionTimeout.isNegative() || connectionTimeout.isZero()) {
            throw new IllegalArgumentException("the metadata connection timeout must be positive");
        }
    }

    /** {@code url} null: the embedded store. */
    public StoreConfig withDatabaseUrl(String url) {
        return new StoreConfig(Optional.ofNullable(url), poolSize, connectionTimeout);
    }

    /** Never prints the URL, which may hold a password. */
    @Override
    public String toString() {
        return "StoreConfig[databaseUrl=" + (databaseUrl.isPresent() ? "(external)" : "(embedded)") + ", poolSize="
                + poolSize + ", connectionTimeout=" + connectionTimeout + "]";
    }
}
