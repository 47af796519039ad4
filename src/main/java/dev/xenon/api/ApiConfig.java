package dev.xenon.api;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How the HTTP API serves (it listens on the server's --listen address).
 *
 * @param port                    HTTP port, 0 for an ephemeral one
 * @param rateLimitPerMinute      sustained requests per minute per API key (Neon: 700)
 * @param rateLimitBurstPerSecond requests per second per API key and route (Neon: 40)
 * @param bootstrapApiKey         the first API key (XENON_API_KEY); empty: one is generated on first start
 */
public record ApiConfig(int port, int rateLimitPerMinute, int rateLimitBurstPerSecond,
                        Optional<String> bootstrapApiKey) {
    public static final ApiConfig DEFAULT = new ApiConfig(8080, 700, 40, Optional.empty());

    public ApiConfig {
        requireNonNull(bootstrapApiKey, "bootstrapApiKey is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid API port " + port);
        }
        if (rateLimitPerMinute < 1 || rateLimitBurstPerSecond < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1");
        }
    }

    public ApiConfig withPort(int value) {
        return new ApiConfig(value, rateLimitPerMinute, rateLimitBurstPerSecond, bootstrapApiKey);
    }

    public ApiConfig withRateLimits(int perMinute, int burstPerSecond) {
        return new ApiConfig(port, perMinute, burstPerSecond, bootstrapApiKey);
    }

    /** {@code key} null: generate one on first start. */
    public ApiConfig withBootstrapApiKey(String key) {
        return new ApiConfig(port, rateLimitPerMinute, rateLimitBurstPerSecond, Optional.ofNullable(key));
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "ApiConfig[port=" + port + ", rateLimitPerMinute=" + rateLimitPerMinute + ", rateLimitBurstPerSecond="
                + rateLimitBurstPerSecond + ", bootstrapApiKey=" + (bootstrapApiKey.isPresent() ? "(set)" : "(none)")
                + "]";
    }
}
