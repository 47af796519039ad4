package dev.xenon.server;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Everything a server needs to start, with the embedded defaults. {@code databaseUrl} empty means "run our own
 * metadata Postgres under {@code dataDir/meta}".
 */
public record ServerConfig(
        Path dataDir,
        String bindAddress,
        int apiPort,
        int proxyPort,
        Optional<String> databaseUrl,
        Optional<String> bootstrapApiKey,
        Optional<String> proxyDomain,
        String advertisedAddress,
        int endpointPortFirst,
        int endpointPortLast,
        int rateLimitPerMinute,
        int rateLimitBurstPerSecond,
        Path pgDistDir,
        Path pgCacheDir,
        Optional<String> osUser,
        int operationWorkers,
        String defaultRegion,
        DataPlane dataPlane,
        double computeMemoryScale) {

    /** What runs the branches' data and computes. */
    public enum DataPlane {
        /** Real Postgres processes and data directories on this machine (the default). */
        LOCAL,
        /** No data at all: operations only update metadata. For fast tests of the API alone. */
        METADATA_ONLY
    }

    /** Computes get 1/16 of the memory Neon gives the same size, so a laptop can run many of them. */
    public static final double DEFAULT_COMPUTE_MEMORY_SCALE = 1.0 / 16;

    public ServerConfig {
        requireNonNull(dataDir, "dataDir is null");
        if (endpointPortFirst > endpointPortLast || endpointPortFirst < 1 || endpointPortLast > 65535) {
            throw new IllegalArgumentException("endpoint port range " + endpointPortFirst + "-" + endpointPortLast
                    + " is not a valid port range");
        }
        if (rateLimitPerMinute < 1 || rateLimitBurstPerSecond < 1) {
            throw new IllegalArgumentException("rate limits must be at least 1");
        }
        requireNonNull(dataPlane, "dataPlane is null");
        if (!(computeMemoryScale > 0 && computeMemoryScale <= 1)) {
            throw new IllegalArgumentException("the compute memory scale must be in (0, 1], got " + computeMemoryScale);
        }
    }

    public static ServerConfig defaults(Path dataDir, Path pgDistDir) {
        return new ServerConfig(dataDir, "0.0.0.0", 8080, 5432, Optional.empty(), Optional.empty(), Optional.empty(),
                "127.0.0.1", 55432, 56431, 700, 40, pgDistDir, dataDir.resolve("pg"), Optional.empty(), 2,
                "aws-us-east-2", DataPlane.LOCAL, DEFAULT_COMPUTE_MEMORY_SCALE);
    }

    public ServerConfig withApiPort(int port) {
        return new ServerConfig(dataDir, bindAddress, port, proxyPort, databaseUrl, bootstrapApiKey, proxyDomain,
                advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute, rateLimitBurstPerSecond,
                pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane, computeMemoryScale);
    }

    public ServerConfig withBootstrapApiKey(String key) {
        return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, databaseUrl, Optional.ofNullable(key),
                proxyDomain, advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute,
                rateLimitBurstPerSecond, pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane,
                computeMemoryScale);
    }

    public ServerConfig withRateLimits(int perMinute, int burstPerSecond) {
        return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, databaseUrl, bootstrapApiKey, proxyDomain,
                advertisedAddress, endpointPortFirst, endpointPortLast, perMinute, burstPerSecond, pgDistDir,
                pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane, computeMemoryScale);
    }

    public ServerConfig withPgCacheDir(Path cache) {
        return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, databaseUrl, bootstrapApiKey, proxyDomain,
                advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute, rateLimitBurstPerSecond,
                pgDistDir, cache, osUser, operationWorkers, defaultRegion, dataPlane, computeMemoryScale);
    }

    public ServerConfig withProxyPort(int port) {
        return new ServerConfig(dataDir, bindAddress, apiPort, port, databaseUrl, bootstrapApiKey, proxyDomain,
                advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute, rateLimitBurstPerSecond,
                pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane, computeMemoryScale);
    }

    public ServerConfig withDatabaseUrl(String url) {
        return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, Optional.ofNullable(url), bootstrapApiKey,
                proxyDomain, advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute,
                rateLimitBurstPerSecond, pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane,
                computeMemoryScale);
    }

    public ServerConfig withDataPlane(DataPlane plane) {
        return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, databaseUrl, bootstrapApiKey, proxyDomain,
                advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute, rateLimitBurstPerSecond,
                pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, plane, computeMemoryScale);
    }

    public ServerConfig withEndpointPorts(int first, int last) {
        return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, databaseUrl, bootstrapApiKey, proxyDomain,
                advertisedAddress, first, last, rateLimitPerMinute, rateLimitBurstPerSecond,
                pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane, computeMemoryScale);
    }
}
