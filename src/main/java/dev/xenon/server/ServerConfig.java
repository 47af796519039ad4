package dev.xenon.server;

import java.nio.file.Path;
import java.time.Duration;
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
        int httpPort,
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
        double computeMemoryScale,
        History history,
        SecurityConfig security) {

    /**
     * How branch history is kept: how often each branch's history is maintained (base copies taken, expired
     * history removed), and when a new base copy is due (see {@code LocalProvisioner.Config}).
     */
    public record History(Duration interval, long baseWalBytes, double baseSizeFactor) {
        public static final History DEFAULT = new History(Duration.ofSeconds(60), 256L << 20, 1.0);

        public History {
            requireNonNull(interval, "interval is null");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the history maintenance interval must be positive");
            }
            if (baseWalBytes < 0 || baseSizeFactor < 0) {
                throw new IllegalArgumentException("base copy thresholds must not be negative");
            }
        }
    }

    /** What runs the branches' data and computes. */
    public enum DataPlane {
        /** Real Postgres processes and data directories on this machine (the default). */
        LOCAL,
        /** No data at all: operations only update metadata. For fast tests of the API alone. */
        METADATA_ONLY
    }

    /**
     * The proxy's HTTPS port (WebSocket at {@code /v2}; SQL over HTTP later): 4444, the port Neon's local HTTP proxy
     * image (local-proxy, "neon_local") serves it on.
     */
    public static final int DEFAULT_HTTP_PORT = 4444;

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
        requireNonNull(history, "history is null");
        requireNonNull(bindAddress, "bindAddress is null");
        requireNonNull(advertisedAddress, "advertisedAddress is null");
        requireNonNull(security, "security is null");
        if (!(computeMemoryScale > 0 && computeMemoryScale <= 1)) {
            throw new IllegalArgumentException("the compute memory scale must be in (0, 1], got " + computeMemoryScale);
        }
    }

    /**
     * API and proxy listen on loopback only unless told otherwise (--listen): an embedded default must not expose
     * every tenant's endpoint to the network. Connection URIs name the same loopback address (--advertise-host).
     */
    public static ServerConfig defaults(Path dataDir, Path pgDistDir) {
        return new ServerConfig(dataDir, "127.0.0.1", 8080, 5432, DEFAULT_HTTP_PORT, Optional.empty(),
                Optional.empty(),
                Optional.empty(), "127.0.0.1", 55432, 56431, 700, 40, pgDistDir, dataDir.resolve("pg"),
                Optional.empty(), 2, "aws-us-east-2", DataPlane.LOCAL, DEFAULT_COMPUTE_MEMORY_SCALE, History.DEFAULT,
                SecurityConfig.DEFAULT);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public ServerConfig withApiPort(int port) {
        return toBuilder().apiPort(port).build();
    }

    public ServerConfig withProxyPort(int port) {
        return toBuilder().proxyPort(port).build();
    }

    public ServerConfig withHttpPort(int port) {
        return toBuilder().httpPort(port).build();
    }

    public ServerConfig withBootstrapApiKey(String key) {
        return toBuilder().bootstrapApiKey(Optional.ofNullable(key)).build();
    }

    public ServerConfig withRateLimits(int perMinute, int burstPerSecond) {
        return toBuilder().rateLimitPerMinute(perMinute).rateLimitBurstPerSecond(burstPerSecond).build();
    }

    public ServerConfig withPgCacheDir(Path cache) {
        return toBuilder().pgCacheDir(cache).build();
    }

    public ServerConfig withOperationWorkers(int workers) {
        return toBuilder().operationWorkers(workers).build();
    }

    public ServerConfig withDatabaseUrl(String url) {
        return toBuilder().databaseUrl(Optional.ofNullable(url)).build();
    }

    public ServerConfig withDataPlane(DataPlane plane) {
        return toBuilder().dataPlane(plane).build();
    }

    public ServerConfig withEndpointPorts(int first, int last) {
        return toBuilder().endpointPortFirst(first).endpointPortLast(last).build();
    }

    public ServerConfig withSecurity(SecurityConfig value) {
        return toBuilder().security(value).build();
    }

    /** Changes some settings of a config; {@link #build()} checks the result as a whole. */
    public static final class Builder {
        private Path dataDir;
        private String bindAddress;
        private int apiPort;
        private int proxyPort;
        private int httpPort;
        private Optional<String> databaseUrl;
        private Optional<String> bootstrapApiKey;
        private Optional<String> proxyDomain;
        private String advertisedAddress;
        private int endpointPortFirst;
        private int endpointPortLast;
        private int rateLimitPerMinute;
        private int rateLimitBurstPerSecond;
        private Path pgDistDir;
        private Path pgCacheDir;
        private Optional<String> osUser;
        private int operationWorkers;
        private String defaultRegion;
        private DataPlane dataPlane;
        private double computeMemoryScale;
        private History history;
        private SecurityConfig security;

        private Builder(ServerConfig c) {
            this.dataDir = c.dataDir;
            this.bindAddress = c.bindAddress;
            this.apiPort = c.apiPort;
            this.proxyPort = c.proxyPort;
            this.httpPort = c.httpPort;
            this.databaseUrl = c.databaseUrl;
            this.bootstrapApiKey = c.bootstrapApiKey;
            this.proxyDomain = c.proxyDomain;
            this.advertisedAddress = c.advertisedAddress;
            this.endpointPortFirst = c.endpointPortFirst;
            this.endpointPortLast = c.endpointPortLast;
            this.rateLimitPerMinute = c.rateLimitPerMinute;
            this.rateLimitBurstPerSecond = c.rateLimitBurstPerSecond;
            this.pgDistDir = c.pgDistDir;
            this.pgCacheDir = c.pgCacheDir;
            this.osUser = c.osUser;
            this.operationWorkers = c.operationWorkers;
            this.defaultRegion = c.defaultRegion;
            this.dataPlane = c.dataPlane;
            this.computeMemoryScale = c.computeMemoryScale;
            this.history = c.history;
            this.security = c.security;
        }

        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        public Builder bindAddress(String value) {
            this.bindAddress = value;
            return this;
        }

        public Builder apiPort(int value) {
            this.apiPort = value;
            return this;
        }

        public Builder proxyPort(int value) {
            this.proxyPort = value;
            return this;
        }

        public Builder httpPort(int value) {
            this.httpPort = value;
            return this;
        }

        public Builder databaseUrl(Optional<String> value) {
            this.databaseUrl = value;
            return this;
        }

        public Builder bootstrapApiKey(Optional<String> value) {
            this.bootstrapApiKey = value;
            return this;
        }

        public Builder proxyDomain(Optional<String> value) {
            this.proxyDomain = value;
            return this;
        }

        public Builder advertisedAddress(String value) {
            this.advertisedAddress = value;
            return this;
        }

        public Builder endpointPortFirst(int value) {
            this.endpointPortFirst = value;
            return this;
        }

        public Builder endpointPortLast(int value) {
            this.endpointPortLast = value;
            return this;
        }

        public Builder rateLimitPerMinute(int value) {
            this.rateLimitPerMinute = value;
            return this;
        }

        public Builder rateLimitBurstPerSecond(int value) {
            this.rateLimitBurstPerSecond = value;
            return this;
        }

        public Builder pgDistDir(Path value) {
            this.pgDistDir = value;
            return this;
        }

        public Builder pgCacheDir(Path value) {
            this.pgCacheDir = value;
            return this;
        }

        public Builder osUser(Optional<String> value) {
            this.osUser = value;
            return this;
        }

        public Builder operationWorkers(int value) {
            this.operationWorkers = value;
            return this;
        }

        public Builder defaultRegion(String value) {
            this.defaultRegion = value;
            return this;
        }

        public Builder dataPlane(DataPlane value) {
            this.dataPlane = value;
            return this;
        }

        public Builder computeMemoryScale(double value) {
            this.computeMemoryScale = value;
            return this;
        }

        public Builder history(History value) {
            this.history = value;
            return this;
        }

        public Builder security(SecurityConfig value) {
            this.security = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(dataDir, bindAddress, apiPort, proxyPort, httpPort, databaseUrl, bootstrapApiKey, proxyDomain, advertisedAddress, endpointPortFirst, endpointPortLast, rateLimitPerMinute, rateLimitBurstPerSecond, pgDistDir, pgCacheDir, osUser, operationWorkers, defaultRegion, dataPlane, computeMemoryScale, history, security);
        }
    }
}
