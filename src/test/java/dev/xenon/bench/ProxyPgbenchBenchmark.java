package dev.xenon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.provisioner.local.postgres.FreePort;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.testing.TestServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench select-only through the proxy against the same compute directly, plaintext and TLS, in interleaved
 * rounds (the order rotates every round). Also reports the JVM's CPU time per transaction during each run: the
 * JVM is the proxy (the API and metadata Postgres are idle meanwhile). Run with bench/proxy-pgbench.sh.
 *
 * <p>Arguments: rounds, seconds per run, clients, threads, scale, then optionally the names of the configurations
 * to run: proxy-plain, direct-plain, proxy-tls, direct-tls, pgbouncer-plain (when pgbouncer is installed: a
 * reference C proxy in front of the same compute), which are the default, and proxy-main-plain (the main port with
 * options=endpoint=), proxy-plain-vt and proxy-tls-vt (the relay on virtual threads).
 */
public final class ProxyPgbenchBenchmark {
    private static final String RELAY_THREADS = "xenon.proxy.relayThreads";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");
    private static final List<String> DEFAULT_CONFIGS = List.of("proxy-plain", "direct-plain", "proxy-tls",
            "direct-tls", "pgbouncer-plain");
    private static final Pattern LATENCY = Pattern.compile("latency average = ([0-9.]+) ms");

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int scale = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        List<String> only = args.length > 5 ? List.of(args).subList(5, args.length) : List.of();

        try (TestServer server = TestServer.start(TestServer.withLocalDataPlane())) {
            Thread cleanup = new Thread(server::close);
            Runtime.getRuntime().addShutdownHook(cleanup);
            try {
                run(server, rounds, seconds, clients, threads, scale, only);
            } finally {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            }
        }
    }

    private static void run(TestServer server, int rounds, int seconds, int clients, int threads, int scale,
                            List<String> only) throws Exception {
        Bench.Api api = new Bench.Api(server);
        JsonNode created = api.post("/projects", Map.of("project", Map.of("name", "pgbench", "pg_version",
                PgTestSupport.MAJOR, "default_endpoint_settings", Map.of("suspend_timeout_seconds", -1))));
        String project = created.at("/project/id").asText();
        String endpoint = created.at("/endpoints/0/id").asText();
        String uri = created.at("/connection_uris/0/connection_uri").asText();
        Bench.selectOneRetrying(uri, 120_000);
        api.awaitOperations(project);
        int computePort = server.computePort(endpoint);
        String host = api.get("/projects/" + project).at("/project/proxy_host").asText();
        int mainPort = Integer.parseInt(host.substring(host.lastIndexOf(':') + 1));

        Map<String, String> configs = new LinkedHashMap<>();
        configs.put("proxy-plain", Bench.plaintext(uri));
        configs.put("direct-plain", Bench.atPort(Bench.plaintext(uri), computePort));
        configs.put("proxy-tls", uri);
        configs.put("direct-tls", Bench.atPort(uri, computePort));
        configs.put("proxy-main-plain", Bench.withParams(Bench.atPort(Bench.plaintext(uri), mainPort),
                Map.of("options", "endpoint%3D" + endpoint)));
        // The relay on virtual threads (xenon.proxy.relayThreads=virtual), as before it moved to platform threads.
        configs.put("proxy-plain-vt", configs.get("proxy-plain"));
        configs.put("proxy-tls-vt", configs.get("proxy-tls"));
        System.out.println("endpoint " + endpoint + ": proxy port " + URI.create(uri).getPort() + ", compute port "
                + computePort + ", main proxy port " + mainPort);
        Process[] pgbouncer = new Process[1];
        // Stopped however the run ends, the script's SIGTERM included (the server has its own hook in main).
        Thread stopPgbouncer = new Thread(() -> {
            if (pgbouncer[0] != null) {
                pgbouncer[0].destroy();
                try {
                    pgbouncer[0].waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                pgbouncer[0].destroyForcibly();
            }
        });
        Runtime.getRuntime().addShutdownHook(stopPgbouncer);
        try {
            if ((only.isEmpty() ? DEFAULT_CONFIGS : only).contains("pgbouncer-plain") && onPath("pgbouncer")) {
                // A reference: a C proxy (one event loop, session pooling) in front of the same compute.
                int port = FreePort.pick();
                pgbouncer[0] = startPgbouncer(server.dataDir().resolve("bench-pgbouncer"), port, computePort,
                        created.at("/roles/0/name").asText(), created.at("/roles/0/password").asText());
                configs.put("pgbouncer-plain", Bench.withParams(Bench.atPort(Bench.plaintext(uri), port),
                        java.util.Collections.singletonMap("channel_binding", null)));
            }
            configs.keySet().retainAll(only.isEmpty() ? DEFAULT_CONFIGS : only);
            measure(configs, computePort, uri, rounds, seconds, clients, threads, scale);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopPgbouncer);
            stopPgbouncer.run();
        }
    }

    private static void measure(Map<String, String> configs, int computePort, String uri, int rounds, int seconds,
                                int clients, int threads, int scale) {

        long start = System.nanoTime();
        pgbench(List.of("-i", "-q", "-s", Integer.toString(scale)), configs.get("direct-plain") == null
                ? Bench.atPort(Bench.plaintext(uri), computePort) : configs.get("direct-plain"));
        System.out.printf(Locale.ROOT, "pgbench -i -s %d in %.1f s%n", scale, Bench.millisSince(start) / 1000);

        List<String> args = List.of("-n", "-S", "-c", Integer.toString(clients), "-j", Integer.toString(threads),
                "-T", Integer.toString(seconds));
        // Warm-up: the tables into the page cache, the relay code through the JIT.
        for (String name : configs.keySet()) {
            pgbench(name, List.of("-n", "-S", "-c", Integer.toString(clients), "-j", Integer.toString(threads),
                    "-T", "3"), configs.get(name));
        }

        Bench.Samples tps = new Bench.Samples();
        Bench.Samples latency = new Bench.Samples();
        Bench.Samples cpu = new Bench.Samples();
        List<String> names = new ArrayList<>(configs.keySet());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.size(); i++) {
                String name = names.get((i + r) % names.size());
                Duration cpuBefore = jvmCpu();
                String out = pgbench(name, args, configs.get(name));
                Duration cpuUsed = jvmCpu().minus(cpuBefore);
                double t = parse(TPS, out);
                tps.add(name, t);
                latency.add(name, parse(LATENCY, out) * 1000);
                cpu.add(name, cpuUsed.toNanos() / 1000.0 / (t * seconds));
                System.out.printf(Locale.ROOT, "round %d %-17s tps %8.0f  JVM CPU %.1f us/tx%n", r + 1, name, t,
                        cpuUsed.toNanos() / 1000.0 / (t * seconds));
            }
        }
        System.out.printf("%npgbench %s, scale %d, %d rounds interleaved%n", String.join(" ", args), scale, rounds);
        tps.print("TPS");
        latency.print("latency average (us)");
        cpu.print("JVM CPU per transaction (us)");
        if (configs.containsKey("direct-plain")) {
            for (String name : names) {
                Bench.ratio(name + " / direct-plain (TPS)", tps.median(name), tps.median("direct-plain"));
            }
        }
        if (configs.containsKey("proxy-tls") && configs.containsKey("direct-tls")) {
            Bench.ratio("proxy-tls / direct-tls (TPS)", tps.median("proxy-tls"), tps.median("direct-tls"));
        }
        tps.printRaw("tps");
    }

    private static boolean onPath(String program) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, program)));
    }

    private static Process startPgbouncer(Path dir, int port, int computePort, String role, String password)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path ini = dir.resolve("pgbouncer.ini");
        Files.writeString(ini, String.join("\n",
                "[databases]",
                "neondb = host=127.0.0.1 port=" + computePort + " dbname=neondb user=" + role + " password=" + password,
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                "listen_port = " + port,
                "unix_socket_dir =",
                "auth_type = any",
                "pool_mode = session",
                "max_client_conn = 100",
                "default_pool_size = 20",
                "ignore_startup_parameters = extra_float_digits,options",
                "logfile = " + dir.resolve("pgbouncer.log"),
                "pidfile = " + dir.resolve("pgbouncer.pid"), ""));
        Optional<OsUser> user = PgTestSupport.user();
        user.ifPresent(u -> u.chown(dir));
        List<String> command = List.of("pgbouncer", ini.toString());
        Process process = new ProcessBuilder(user.map(u -> u.wrap(command)).orElse(command))
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        for (int i = 0; i < 500; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return process;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("pgbouncer exited: " + Files.readString(dir.resolve("stdout.log")));
                }
                Thread.sleep(10);
            }
        }
        process.destroy();
        throw new IllegalStateException("pgbouncer does not listen on " + port);
    }

    private static Duration jvmCpu() {
        return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    private static double parse(Pattern pattern, String out) {
        Matcher m = pattern.matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("no " + pattern + " in pgbench output:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static String pgbench(String config, List<String> args, String uri) {
        if (config.endsWith("-vt")) {
            System.setProperty(RELAY_THREADS, "virtual");
        }
        try {
            return pgbench(args, uri);
        } finally {
            System.clearProperty(RELAY_THREADS);
        }
    }

    private static String pgbench(List<String> args, String uri) {
        List<String> command = new ArrayList<>(List.of("pgbench"));
        command.addAll(args);
        command.add(uri);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IllegalStateException("pgbench " + args + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
