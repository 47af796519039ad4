package dev.xenon.cli;

import dev.xenon.proxy.ProxyConfig;
import dev.xenon.server.DataDirLock;
import dev.xenon.server.DataPlaneConfig;
import dev.xenon.server.SecurityConfig;
import dev.xenon.server.ServerConfig;
import dev.xenon.server.ServerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

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
        @Spec
        CommandSpec spec;

        @Option(names = "--data-dir", description = "State directory (default: ${DEFAULT-VALUE})", defaultValue = "./.xenon")
        Path dataDir;

        @Option(names = "--api-port", description = "HTTP port of the API (default: ${DEFAULT-VALUE})", defaultValue = "8080")
        int apiPort;

        @Option(names = "--proxy-port", description = "Postgres port of the proxy (default: 5432 or the first free port above it)")
        Integer proxyPort;

        @Option(names = "--http-port", description = "HTTPS port of the proxy, for Postgres over WebSocket (the "
                + "serverless driver's Pool and Client); default: 4444 or the first free port above it")
        Integer httpPort;

        @Option(names = "--listen", description = "Address the API and the proxy listen on (default: ${DEFAULT-VALUE}, "
                + "this machine only; 0.0.0.0 for every interface)", defaultValue = "127.0.0.1")
        String listen;

        @Option(names = "--advertise-host", description = "Host named in connection URIs (default: the --listen address,"
                + " or 127.0.0.1 when that is a wildcard)")
        String advertiseHost;

        @Option(names = "--endpoint-ports", description = "Range of the endpoints' own proxy ports, FIRST-LAST "
                + "(default: ${DEFAULT-VALUE})", defaultValue = "55432-56431")
        String endpointPorts;

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

        @Option(names = "--allow-plaintext", description = "Let proxy clients connect without TLS (sslmode=disable); refused by default, as Neon does")
        boolean allowPlaintext;

        @Override
        public Integer call() throws Exception {
            Path dist = pgDistDir != null ? pgDistDir : defaultDistDir();
            int[] ports = portRange(endpointPorts);
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
            }
            ServerConfig built;
            try {
                built = config(ServerConfig.defaults(dataDir.toAbsolutePath().normalize(), dist), ports);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (isWildcard(listen) && advertiseHost == null) {
                System.out.println("Listening on every address; connection URIs name 127.0.0.1. Use --advertise-host"
                        + " to name the host clients reach this machine by.");
            }
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
            server.newCertificateAuthority().ifPresent(ca -> System.out.print(
                    TrustAdvice.forNewAuthority(ca, built.dataDir())));
            System.out.println("Xenon is ready: API at http://" + apiHost(listen) + ":" + server.apiPort() + "/api/v2"
                    + "; Postgres over WebSocket at wss://" + apiHost(listen) + ":" + server.httpPort() + "/v2");
            stopped.await();
            return 0;
        }

        /** The defaults with what the flags and the environment set. */
        private ServerConfig config(ServerConfig defaults, int[] ports) {
            SecurityConfig security = defaults.security().withAllowPlaintext(allowPlaintext).withSecretKey(
                    Optional.ofNullable(System.getenv("XENON_SECRET_KEY")).filter(k -> !k.isBlank()).orElse(null));
            if (tlsCert != null) {
                security = security.withTlsCertificate(tlsCert.toAbsolutePath(), tlsKey.toAbsolutePath());
            }
            DataPlaneConfig dataPlane = defaults.dataPlane();
            if (computeMemoryScale != null) {
                dataPlane = dataPlane.withComputeMemoryScale(computeMemoryScale);
            }
            return defaults
                    .withAddresses(listen, advertiseHost != null ? advertiseHost : advertised(listen))
                    .withEndpoints(defaults.endpoints().withPorts(ports[0], ports[1]))
                    .withApi(defaults.api().withPort(apiPort).withBootstrapApiKey(
                            Optional.ofNullable(System.getenv("XENON_API_KEY")).filter(k -> !k.isBlank()).orElse(null)))
                    .withProxy(defaults.proxy().withPort(proxyPort != null ? proxyPort : firstFreePort(5432))
                            .withHttpPort(httpPort != null ? httpPort : firstFreePort(ProxyConfig.DEFAULT_HTTP_PORT))
                            .withDomain(proxyDomain))
                    .withStore(defaults.store().withDatabaseUrl(databaseUrl))
                    .withPostgres(defaults.postgres().withOsUser(osUser))
                    .withDataPlane(dataPlane)
                    .withSecurity(security);
        }

        private static Path defaultDistDir() throws URISyntaxException {
            Path jar = Path.of(CliMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return jar.getParent().resolve("pg-dist");
        }

        private int[] portRange(String range) {
            String[] parts = range.strip().split("-", -1);
            try {
                if (parts.length == 2) {
                    return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--endpoint-ports must be FIRST-LAST, such as 55432-56431; got '" + range + "'");
        }

        /** Wildcards are where to listen, not an address a client can use. */
        private static String advertised(String listen) {
            return isWildcard(listen) ? "127.0.0.1" : listen;
        }

        private static String apiHost(String listen) {
            if (isWildcard(listen) || listen.equals("127.0.0.1") || listen.equals("::1")) {
                return "localhost";
            }
            return listen.contains(":") ? "[" + listen + "]" : listen;
        }

        private static boolean isWildcard(String address) {
            return address.equals("0.0.0.0") || address.equals("::") || address.equals("[::]");
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
