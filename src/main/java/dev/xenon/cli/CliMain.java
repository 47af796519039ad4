package dev.xenon.cli;

import dev.xenon.server.ServerConfig;
import dev.xenon.server.ServerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "xenon", mixinStandardHelpOptions = true, subcommands = {CliMain.Server.class, TrustCommand.class, CaPathCommand.class},
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

        @Option(names = "--tls-cert", description = "PEM certificate chain (leaf first) for the proxy to serve instead of one from the local CA")
        Path tlsCert;

        @Option(names = "--tls-key", description = "PEM private key (PKCS#8 or PKCS#1/SEC1) of --tls-cert")
        Path tlsKey;

        @Option(names = "--pg-dist-dir", description = "Directory holding the Postgres binary jars (default: pg-dist beside xenon.jar)")
        Path pgDistDir;

        @Spec
        CommandSpec spec;

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
            if (tlsCert != null || tlsKey != null) {
                if (tlsCert == null || tlsKey == null) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
                }
                config.tls(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath());
            }
            ServerConfig built = config.build();
            ServerMain server = ServerMain.start(built);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "xenon-shutdown"));
            server.generatedApiKey().ifPresent(key -> System.out.println(
                    "Generated API key (shown once; also in " + built.dataDir().resolve("api-key") + "):\n" + key));
            server.newCertificateAuthority().ifPresent(ca -> System.out.print(
                    TrustAdvice.forNewAuthority(ca, built.dataDir())));
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
