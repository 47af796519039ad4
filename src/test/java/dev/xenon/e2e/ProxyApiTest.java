package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.xenon.testing.Pg.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Clients reach computes only through the proxy: routing, refusals, wake on connect and scale to zero. */
class ProxyApiTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start(TestServer.withLocalDataPlane());
        api = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private record Made(String project, String branch, String endpoint, String uri, String password, int port) {
        String endpointPath() {
            return "/projects/" + project + "/endpoints/" + endpoint;
        }
    }

    private static Made project(Map<String, Object> settings) {
        JsonNode created = Projects.create(api, settings);
        String project = created.at("/project/id").asText();
        Projects.awaitOperations(api, project);
        String uri = created.at("/connection_uris/0/connection_uri").asText();
        return new Made(project, created.at("/branch/id").asText(), created.at("/endpoints/0/id").asText(), uri,
                created.at("/roles/0/password").asText(), URI.create(uri).getPort());
    }

    private static String proxyMainPort() {
        String host = api.get("/projects?limit=1").body().at("/projects/0/proxy_host").asText();
        return host.substring(host.lastIndexOf(':') + 1);
    }

    private static String sqlState(Throwable e) {
        return e instanceof SQLException sql ? sql.getSQLState() : null;
    }

    @Test
    void psqlConnectsWithTheUriExactlyAsReturned() throws Exception {
        Made made = project(Map.of("name", "psql"));
        assertThat(made.uri()).endsWith("?sslmode=require&channel_binding=require");
        Process psql = new ProcessBuilder("psql", made.uri(), "-XAtc", "select current_user || ' ' || version()")
                .redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(psql.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(psql.exitValue()).as(out).isZero();
        assertThat(out).startsWith("neondb_owner PostgreSQL 17");
    }

    @Test
    void theMainPortRoutesByOptionsAndByPasswordHack() throws Exception {
        Made made = project(Map.of("name", "routing"));
        String main = made.uri().replace(":" + made.port() + "/", ":" + proxyMainPort() + "/");
        Properties options = new Properties();
        options.setProperty("options", "endpoint=" + made.endpoint());
        try (Connection c = Pg.connect(main, options); Statement s = c.createStatement()) {
            assertThat(single(s, "select 'by options'")).isEqualTo("by options");
        }
        Properties hack = new Properties();
        hack.setProperty("password", "endpoint=" + made.endpoint() + ";" + made.password());
        // The endpoint must be known before authentication, so this form uses a cleartext password (over TLS).
        hack.setProperty("channelBinding", "disable");
        try (Connection c = Pg.connect(main, hack); Statement s = c.createStatement()) {
            assertThat(single(s, "select 'by password'")).isEqualTo("by password");
        }
        Properties unknown = new Properties();
        unknown.setProperty("options", "endpoint=ep-no-such-00000000");
        assertThatThrownBy(() -> Pg.connect(main, unknown)).isInstanceOf(SQLException.class)
                .hasMessageContaining("ep-no-such-00000000");
    }

    @Test
    void refusalsCarryPostgresErrors() throws Exception {
        Made made = project(Map.of("name", "refusals"));
        Properties wrong = new Properties();
        wrong.setProperty("password", "npg_wrongwrongwr");
        assertThatThrownBy(() -> Pg.connect(made.uri(), wrong))
                .satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));

        api.patch("/projects/" + made.project(), Map.of("project", Map.of("settings",
                Map.of("allowed_ips", Map.of("ips", List.of("10.9.9.9")))))).expect(200);
        assertThatThrownBy(() -> Pg.connect(made.uri())).isInstanceOf(SQLException.class)
                .hasMessageContaining("127.0.0.1");
        api.patch("/projects/" + made.project(), Map.of("project", Map.of("settings",
                Map.of("allowed_ips", Map.of("ips", List.of("127.0.0.0/8")))))).expect(200);
        try (Connection c = Pg.connect(made.uri())) {
            assertThat(c.isValid(5)).isTrue();
        }

        api.patch(made.endpointPath(), Map.of("endpoint", Map.of("disabled", true))).expect(200);
        assertThatThrownBy(() -> Pg.connect(made.uri())).isInstanceOf(SQLException.class)
                .hasMessageContaining("disabled");
    }

    @Test
    void aRoleOrPasswordWorksAsSoonAsTheApiReturnsIt() throws Exception {
        Made made = project(Map.of("name", "fresh-role"));
        String roles = "/projects/" + made.project() + "/branches/" + made.branch() + "/roles";
        String password = api.post(roles, Map.of("role", Map.of("name", "fresh"))).expect(201).body()
                .at("/role/password").asText();
        String asFresh = made.uri().replace("neondb_owner:" + made.password(), "fresh:" + password);
        try (Connection c = Pg.connect(asFresh); Statement s = c.createStatement()) {
            assertThat(single(s, "select current_user")).isEqualTo("fresh");
        }
        String reset = api.post(roles + "/fresh/reset_password", null).expect(200).body()
                .at("/role/password").asText();
        try (Connection c = Pg.connect(asFresh.replace(password, reset)); Statement s = c.createStatement()) {
            assertThat(single(s, "select current_user")).isEqualTo("fresh");
        }
        assertThatThrownBy(() -> Pg.connect(asFresh)).satisfies(e -> assertThat(sqlState(e)).isEqualTo("28P01"));
    }

    @Test
    void cancelReachesTheRightBackend() throws Exception {
        Made made = project(Map.of("name", "cancel"));
        try (Connection c = Pg.connect(made.uri()); Statement s = c.createStatement()) {
            Thread canceller = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(500);
                    s.cancel();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThatThrownBy(() -> s.execute("select pg_sleep(30)"))
                    .satisfies(e -> assertThat(sqlState(e)).isEqualTo("57014"));
            canceller.join();
            assertThat(single(s, "select 'still usable'")).isEqualTo("still usable");
        }
    }

    @Test
    void anIdleEndpointSuspendsAndTheNextConnectionWakesItWithItsData() throws Exception {
        Made made = project(Map.of("name", "scale-to-zero",
                "default_endpoint_settings", Map.of("suspend_timeout_seconds", 1)));
        try (Connection c = Pg.connect(made.uri()); Statement s = c.createStatement()) {
            s.execute("create table kept (v text)");
            s.execute("insert into kept values ('still here')");
        }
        awaitState(made, "idle", Duration.ofSeconds(30));
        long startsBefore = startCount(made);

        List<Future<String>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < 6; i++) {
                clients.add(pool.submit(() -> {
                    try (Connection c = Pg.connect(made.uri()); Statement s = c.createStatement()) {
                        return single(s, "select v from kept");
                    }
                }));
            }
            for (Future<String> client : clients) {
                assertThat(client.get(90, TimeUnit.SECONDS)).isEqualTo("still here");
            }
        }
        assertThat(startCount(made) - startsBefore).as("start_compute operations for six first connections")
                .isEqualTo(1);
        assertThat(api.get(made.endpointPath()).body().at("/endpoint/current_state").asText()).isEqualTo("active");
        assertThat(api.get(made.endpointPath()).body().at("/endpoint/last_active").asText()).isNotEmpty();
        assertThat(api.get("/projects/" + made.project() + "/branches/" + made.branch()).body()
                .at("/branch/data_transfer_bytes").asLong()).as("bytes the proxy relayed").isPositive();
        assertThat(api.get("/projects/" + made.project()).body().at("/project/data_transfer_bytes").asLong())
                .isPositive();
    }

    private static long startCount(Made made) {
        long count = 0;
        for (JsonNode op : api.get("/projects/" + made.project() + "/operations?limit=1000").body().get("operations")) {
            if (op.get("action").asText().equals("start_compute") && made.endpoint().equals(op.path("endpoint_id").asText())) {
                count++;
            }
        }
        return count;
    }

    private static void awaitState(Made made, String state, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (!api.get(made.endpointPath()).body().at("/endpoint/current_state").asText().equals(state)) {
            assertThat(Instant.now()).as("endpoint %s reaches %s", made.endpoint(), state).isBefore(deadline);
            Thread.sleep(200);
        }
    }
}
