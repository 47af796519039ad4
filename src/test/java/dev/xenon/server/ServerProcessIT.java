package dev.xenon.server;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged server as users run it: first start prints a key, SIGTERM stops every Postgres, restart keeps state. */
class ServerProcessIT {
    private static final Pattern READY = Pattern.compile("API at http://localhost:(\\d+)/api/v2");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private record Running(Process process, int port, List<String> output) {}

    private Running start(Path dataDir, String... flags) throws IOException {
        Process process = launch(dataDir, flags);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new java.util.ArrayList<>();
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            Matcher ready = READY.matcher(line);
            if (ready.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return new Running(process, Integer.parseInt(ready.group(1)), lines);
            }
        }
        throw new AssertionError("server exited before it was ready:\n" + String.join("\n", lines));
    }

    private static Process launch(Path dataDir, String... flags) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new java.util.ArrayList<>(List.of(java, "-jar", System.getProperty("xenon.test.jar"),
                "server", "--data-dir", dataDir.toString(), "--api-port", "0",
                "--pg-dist-dir", PgTestSupport.distDir().toString()));
        command.addAll(List.of(flags));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static HttpResponse<String> get(int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> createProject(String host, int port, String key, String name)
            throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/api/v2/projects"))
                        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"project\":{\"name\":\"" + name + "\"}}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean accepts(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void firstStartPrintsAKeyAndHowToTrustTheCaAndSigtermStopsEveryPostgresAndExitsZero() throws Exception {
        Path dataDir = PgTestSupport.traversable(dir).resolve("data");
        Running first = start(dataDir);
        try {
            Path keyFile = dataDir.resolve("api-key");
            String key = Files.readString(keyFile).strip();
            assertThat(key).matches("napi_[a-z0-9]{64}");
            assertThat(String.join("\n", first.output())).contains(key)
                    // How to trust the local CA, once, for each kind of client.
                    .contains("NODE_EXTRA_CA_CERTS=" + dataDir.resolve("ca.crt"))
                    .contains("PGSSLROOTCERT=" + dataDir.resolve("ca.crt"))
                    .contains("keytool -importcert").contains("xenon trust --data-dir " + dataDir);
            assertThat(Files.getPosixFilePermissions(keyFile))
                    .isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            assertThat(get(first.port(), "/healthz", null).statusCode()).isEqualTo(200);
            HttpResponse<String> created = createProject("127.0.0.1", first.port(), key, "kept");
            assertThat(created.statusCode()).isEqualTo(201);
            assertThat(accepts("127.0.0.2", first.port())).as("the API listens on loopback only").isFalse();
            long metaPid = PgTestSupport.postmasterPid(dataDir.resolve("meta/data")).orElseThrow();
            assertThat(PgTestSupport.processAlive(metaPid)).isTrue();

            first.process().destroy();
            assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).as("server stops on SIGTERM").isTrue();
            assertThat(first.process().exitValue()).as("exit status after a clean stop").isZero();
            assertThat(PgTestSupport.processAlive(metaPid)).as("metadata Postgres stopped").isFalse();

            Running second = start(dataDir);
            try {
                assertThat(String.join("\n", second.output())).doesNotContain(key).doesNotContain("NODE_EXTRA_CA_CERTS");
                HttpResponse<String> list = get(second.port(), "/api/v2/projects", key);
                assertThat(list.statusCode()).isEqualTo(200);
                assertThat(list.body()).contains("\"kept\"");
            } finally {
                second.process().destroy();
                second.process().waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            first.process().destroyForcibly();
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirRefusesAtOnceAndTouchesNothing() throws Exception {
        Path dataDir = PgTestSupport.traversable(dir).resolve("data");
        Running first = start(dataDir);
        try {
            String key = Files.readString(dataDir.resolve("api-key")).strip();
            long metaPid = PgTestSupport.postmasterPid(dataDir.resolve("meta/data")).orElseThrow();

            long started = System.nanoTime();
            Process second = launch(dataDir);
            assertThat(second.waitFor(30, TimeUnit.SECONDS)).as("the second server gives up").isTrue();
            long millis = (System.nanoTime() - started) / 1_000_000;
            String output = new String(second.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            System.out.printf("timing: second server on one data dir refused in %d ms (JVM start included)%n", millis);
            assertThat(second.exitValue()).as(output).isNotZero();
            assertThat(output).contains("in use by another Xenon server (pid " + first.process().pid() + ")");

            assertThat(PgTestSupport.postmasterPid(dataDir.resolve("meta/data"))).contains(metaPid);
            assertThat(PgTestSupport.processAlive(metaPid)).as("the first server's metadata Postgres").isTrue();
            assertThat(get(first.port(), "/api/v2/projects", key).statusCode()).isEqualTo(200);
            assertThat(get(first.port(), "/readyz", null).statusCode()).isEqualTo(200);
        } finally {
            first.process().destroy();
            first.process().waitFor(30, TimeUnit.SECONDS);
            first.process().destroyForcibly();
        }
    }

    @Test
    void listenAdvertiseHostAndEndpointPortsComeFromTheCommandLine() throws Exception {
        Path dataDir = PgTestSupport.traversable(dir).resolve("flags");
        int first = TestServer.freeEndpointPorts(5);
        Running server = start(dataDir, "--listen", "0.0.0.0", "--advertise-host", "127.0.0.2",
                "--endpoint-ports", first + "-" + (first + 4));
        try {
            String key = Files.readString(dataDir.resolve("api-key")).strip();
            HttpResponse<String> created = createProject("127.0.0.2", server.port(), key, "flags");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(created.body()).contains("@127.0.0.2:" + first + "/");
            assertThat(accepts("127.0.0.2", first)).as("the proxy listens on every address").isTrue();
        } finally {
            server.process().destroy();
            server.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMalformedEndpointPortRangeIsRefusedAtStart() throws Exception {
        assertRefused("--endpoint-ports must be FIRST-LAST", "--endpoint-ports", "55432");
        assertRefused("endpoint port range 70000-70001 is not a valid port range", "--endpoint-ports", "70000-70001");
    }

    private void assertRefused(String message, String... flags) throws Exception {
        Process process = launch(PgTestSupport.traversable(dir).resolve("refused"), flags);
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains(message).doesNotContain("Exception");
    }
}
