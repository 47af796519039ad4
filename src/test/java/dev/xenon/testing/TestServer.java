package dev.xenon.testing;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.server.DataPlaneConfig;
import dev.xenon.server.ServerConfig;
import dev.xenon.server.ServerMain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * A real Xenon server on a random port with its own embedded metadata Postgres, for one test class.
 * {@link #restart()} stops and starts it on the same data directory to check persistence.
 */
public final class TestServer implements AutoCloseable {
    public static final String API_KEY = "napi_" + "t".repeat(64);

    private final Path dataDir;
    private final UnaryOperator<ServerConfig> customize;
    private ServerMain server;

    private TestServer(Path dataDir, UnaryOperator<ServerConfig> customize) {
        this.dataDir = dataDir;
        this.customize = customize;
        this.server = ServerMain.start(config());
    }

    public static TestServer start() {
        return start(UnaryOperator.identity());
    }

    /**
     * Rate limits are raised well above what a test sends unless the test sets its own. The data plane is
     * metadata-only (API behaviour without Postgres processes) unless the test asks for the local one with
     * {@link #withLocalDataPlane}.
     */
    public static TestServer start(UnaryOperator<ServerConfig> customize) {
        try {
            Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "xenon-test-");
            return new TestServer(PgTestSupport.traversable(dir), customize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Real Postgres behind every branch and endpoint, with endpoint ports from a free range. */
    public static UnaryOperator<ServerConfig> withLocalDataPlane() {
        int first = freeEndpointPorts(61);
        return c -> c.withDataPlane(c.dataPlane().withKind(DataPlaneConfig.Kind.LOCAL))
                .withEndpoints(c.endpoints().withPorts(first, first + 60));
    }

    /**
     * The first of {@code count} endpoint ports that are free now. Taken below the kernel's ephemeral range
     * (32768-60999 by default), so that the ports stay free: a port in that range may become the local port of some
     * outgoing connection (a connection pool's) at any time.
     */
    public static int freeEndpointPorts(int count) {
        Random random = new Random();
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 15_000 + random.nextInt(32_000 - 15_000 - count);
            boolean free = true;
            for (int port = first; port < first + count && free; port++) {
                free = bindable(port);
            }
            if (free) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " free endpoint ports below 32000");
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private ServerConfig config() {
        return customize.apply(testDefaults(dataDir));
    }

    /**
     * Ephemeral ports, the test API key, rate limits far above what a test sends, the metadata-only data plane, and
     * the Postgres binaries unpacked once for every test.
     */
    public static ServerConfig testDefaults(Path dataDir) {
        ServerConfig defaults = ServerConfig.defaults(dataDir, PgTestSupport.distDir());
        return defaults
                .withPostgres(defaults.postgres().withCacheDir(PgTestSupport.cacheDir()))
                .withApi(defaults.api().withPort(0).withBootstrapApiKey(API_KEY).withRateLimits(100_000, 10_000))
                .withProxy(defaults.proxy().withPort(0).withHttpPort(0))
                .withDataPlane(defaults.dataPlane().withKind(DataPlaneConfig.Kind.METADATA_ONLY));
    }

    public ApiClient client() {
        return client(API_KEY);
    }

    public ApiClient client(String apiKey) {
        return new ApiClient(baseUrl(), apiKey);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.apiPort();
    }

    /** The loopback port the endpoint's running compute listens on (picked free at its start). */
    public int computePort(String endpointId) {
        return server.computeAddress(endpointId)
                .orElseThrow(() -> new IllegalStateException("no compute runs for endpoint " + endpointId)).getPort();
    }

    /** The proxy's HTTPS port (Postgres over WebSocket). */
    public int httpPort() {
        return server.httpPort();
    }

    public Path dataDir() {
        return dataDir;
    }

    public void restart() {
        server.close();
        server = ServerMain.start(config());
    }

    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
