package dev.xenon.cli;

import dev.xenon.server.DataDirLock;
import dev.xenon.server.ServerConfig;
import dev.xenon.server.ServerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "xenon", mixinStandardHelpOptions = true, subcommands = CliMain.Server.class,
        description = "Self-hosted serverless Postgres with the Neon API v2.")
public final class CliMain {

    public static void main(String[] args) {
        System.exit(new CommandLine(new CliMain()).execute(args));
    }

    @Command(name = "server", mixinStandardHelpOptions = true, description = "Start the API server on embedded defaults.")
    static final class Server implements Callable<Integer> {
        @Option(names = "--data-dir", description = "State directory (default: ${DEFAULT-VALUE})", defaultValue = "./.xenon")
        Path dataDir;

        @Option(names = "--api-port", description = "HTTP port of the API (default: ${DEFAULT-VALUE})", defaultValue = "8080")
        int apiPort;

        @Option(names = "--proxy-port", description = "Postgres port of the proxy (default: 5432 or the first free port above it)")
        Integer proxyPort;

        @Option(names = "--database-url", description = "External PostgreSQL for metadata, postgresql://user:pass@host:port/db")
        String databaseUrl;

        @Option(names = "--proxy-domain", description = "Domain under which endpoints are named ep-<id>.<domain>")
        String proxyDomain;

        @Option(names = "--os-user", description = "Unprivileged account for Postgres processes when run as root (default: postgres, else nobody)")
        String osUser;

        @Option(names = "--compute-memory-scale", description = "Fraction of Neon's memory per compute unit (4 GiB) that a compute gets (default: 0.0625)")
        Double computeMemoryScale;

        @Option(names = "--pg-dist-dir", description = "Directory holding the Postgres binary jars (default: pg-dist beside xenon.jar)")
        Path pgDistDir;

        @Override
        public Integer call() throws Exception {
            Path dist = pgDistDir != null ? pgDistDir : defaultDistDir();
            ServerConfig defaults = ServerConfig.defaults(dataDir.toAbsolutePath().normalize(), dist);
            ServerConfig.Builder config = defaults.toBuilder()
                    .apiPort(apiPort)
                    .proxyPort(proxyPort != null ? proxyPort : firstFreePort(5432))
                    .databaseUrl(Optional.ofNullable(databaseUrl))
                    .bootstrapApiKey(Optional.ofNullable(System.getenv("XENON_API_KEY")).filter(k -> !k.isBlank()))
                    .proxyDomain(Optional.ofNullable(proxyDomain))
                    .osUser(Optional.ofNullable(osUser));
            if (computeMemoryScale != null) {
                config.computeMemoryScale(computeMemoryScale);
            }
            ServerConfig built = config.build();
            ServerMain server;
            try {
                server = ServerMain.start(built);
            } catch (DataDirLock.DataDirInUse e) {
                System.err.println("xenon: " + e.getMessage());
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                boolean clean = server.stop();
                stopped.countDown();
                // A JVM ended by SIGTERM exits with 143 (128 + 15) however cleanly this hook stopped everything, and
                // supervisors (systemd, Kubernetes, CI) read that as a failure. After a clean stop nothing is left to
                // run but other hooks (none of ours), so end here with the status that tells the truth.
                Runtime.getRuntime().halt(clean ? 0 : 1);
            }, "xenon-shutdown"));
            server.generatedApiKey().ifPresent(key -> System.out.println(
                    "Generated API key (shown once; also in " + built.dataDir().resolve("api-key") + "):\n" + key));
            System.out.println("Xenon is ready: API at http://localhost:" + server.apiPort() + "/api/v2");
            stopped.await();
            return 0;
        }

        private static Path defaultDistDir() throws URISyntaxException {
            Path jar = Path.of(CliMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve("pg-dist");
        }

        private static int firstFreePort(int from) {
            for (int port = from; port < from + 100; port++) {
                try (ServerSocket socket = new ServerSocket(port)) {
                    return port;
                } catch (IOException busy) {
                    // try the next one
                }
            }
            throw new IllegalStateException("no free proxy port in " + from + "-" + (from + 99));
        }
    }
}
