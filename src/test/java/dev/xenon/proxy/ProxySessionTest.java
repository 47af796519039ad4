package dev.xenon.proxy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static dev.xenon.proxy.ProxyTestBed.ADMIN_PASSWORD;
import static dev.xenon.proxy.ProxyTestBed.ENDPOINT;
import static dev.xenon.proxy.ProxyTestBed.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Established sessions: cancel, shared wakes, teardown in both directions, and what the proxy costs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxySessionTest {
    private ProxyTestBed bed;

    @BeforeAll
    void start(@TempDir Path temp) throws SQLException {
        bed = new ProxyTestBed(temp);
    }

    @AfterAll
    void stop() {
        if (bed != null) {
            bed.close();
        }
    }

    private Connection viaProxy(String... properties) throws SQLException {
        List<String> all = new ArrayList<>(List.of("options", "endpoint=" + ENDPOINT));
        all.addAll(List.of(properties));
        return bed.connect(PASSWORD, all.toArray(String[]::new));
    }

    @Test
    void aClientSilentPastTheStartupTimeoutIsCutOffButASessionMayOutlastIt() throws Exception {
        Duration timeout = Duration.ofMillis(400);
        try (ProxyServer strict = new ProxyServer(bed.config.withTimeouts(timeout, Duration.ofSeconds(5)),
                bed.directory)) {
            strict.start();
            try (Socket silent = new Socket("127.0.0.1", strict.port())) {
                silent.setSoTimeout(10_000);
                long started = System.nanoTime();
                assertThat(silent.getInputStream().read()).as("end of stream").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(timeout.minusMillis(50),
                        Duration.ofSeconds(5));
            }
            try (Connection c = bed.connectTo(strict.port(), ProxyTestBed.DATABASE, PASSWORD, "options",
                    "endpoint=" + ENDPOINT); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select pg_sleep(0.6), 7")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(2)).isEqualTo(7);
            }
        }
    }

    @Test
    void cancelRequestReachesTheRightBackend() throws Exception {
        try (Connection c = viaProxy(); Statement statement = c.createStatement()) {
            CompletableFuture<Void> sleeping = CompletableFuture.runAsync(() -> {
                try {
                    statement.execute("select pg_sleep(60)");
                } catch (SQLException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            awaitSleeping();
            long started = System.nanoTime();
            statement.cancel();
            assertThatThrownBy(() -> sleeping.get(20, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e.getCause()).getSQLState()).isEqualTo("57014"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
            // The session survives a cancelled query.
            try (ResultSet rs = statement.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
        }
    }

    @Test
    void concurrentConnectionsToASleepingEndpointShareOneWake() throws Exception {
        bed.directory.add("ep-burst", 0);
        bed.directory.wakes.set(0);
        // Long enough that all clients, started together, arrive while the first start is still running.
        bed.directory.wakeDelay = Duration.ofSeconds(3);
        int clients = 6;
        CountDownLatch go = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(clients)) {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                results.add(pool.submit(() -> {
                    go.await();
                    try (Connection c = bed.connect(PASSWORD, "options", "endpoint=ep-burst", "sslmode", "disable");
                         ResultSet rs = c.createStatement().executeQuery("select 1")) {
                        rs.next();
                        return rs.getInt(1);
                    }
                }));
            }
            go.countDown();
            for (Future<Integer> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isEqualTo(1);
            }
        } finally {
            bed.directory.wakeDelay = Duration.ZERO;
        }
        assertThat(bed.directory.wakes.get()).isEqualTo(1);
    }

    @Test
    void clientLeavingEndsTheComputeBackend() throws Exception {
        Connection c = viaProxy("ApplicationName", "leaving");
        assertThat(backends("leaving")).isEqualTo(1);
        c.close();
        awaitBackends("leaving", 0);
    }

    @Test
    void computeEndingTheSessionEndsTheClient() throws Exception {
        try (Connection c = viaProxy()) {
            int pid;
            try (ResultSet rs = c.createStatement().executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Connection admin = admin(); ResultSet rs = admin.createStatement()
                    .executeQuery("select pg_terminate_backend(" + pid + ")")) {
                rs.next();
            }
            assertThatThrownBy(() -> c.createStatement().executeQuery("select 1")).isInstanceOf(SQLException.class);
        }
    }

    @Test
    void closingAnEndpointsSessionsAndPortTakesEffectAtOnce() throws Exception {
        try (Connection c = bed.connectTo(bed.endpointPort, ProxyTestBed.DATABASE, PASSWORD,
                "ApplicationName", "closed-by-proxy")) {
            assertThat(backends("closed-by-proxy")).isEqualTo(1);
            bed.proxy.closeSessions(ENDPOINT);
            assertThatThrownBy(() -> c.createStatement().executeQuery("select 1")).isInstanceOf(SQLException.class);
        }
        awaitBackends("closed-by-proxy", 0);
        bed.proxy.removeEndpointPort(bed.endpointPort);
        try {
            assertThatThrownBy(() -> bed.connectTo(bed.endpointPort, ProxyTestBed.DATABASE, PASSWORD).close())
                    .isInstanceOf(SQLException.class);
        } finally {
            bed.proxy.addEndpointPort(bed.endpointPort);
        }
        try (Connection c = bed.connectTo(bed.endpointPort, ProxyTestBed.DATABASE, PASSWORD)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void measuresConnectLatencyThroughTheProxy() throws Exception {
        String direct = bed.directUrl(ProxyTestBed.DATABASE);
        Map<String, Connector> connectors = new LinkedHashMap<>();
        connectors.put("direct (plaintext)", () -> DriverManager.getConnection(direct, ProxyTestBed.ROLE, PASSWORD));
        connectors.put("proxy plaintext", () -> viaProxy("sslmode", "disable"));
        connectors.put("proxy TLS", () -> viaProxy("sslmode", "require"));
        connectors.put("proxy TLS, NonValidatingFactory", () -> viaProxy("sslmode", "require",
                "sslfactory", "org.postgresql.ssl.NonValidatingFactory"));
        // Interleaved, so a busy moment on the shared machine hits every variant alike.
        Map<String, List<Long>> samples = new LinkedHashMap<>();
        for (int round = 0; round < 35; round++) {
            for (Map.Entry<String, Connector> connector : connectors.entrySet()) {
                long start = System.nanoTime();
                try (Connection c = connector.getValue().open();
                     ResultSet rs = c.createStatement().executeQuery("select 1")) {
                    rs.next();
                }
                if (round >= 5) {
                    samples.computeIfAbsent(connector.getKey(), k -> new ArrayList<>())
                            .add((System.nanoTime() - start) / 1000);
                }
            }
        }
        StringBuilder report = new StringBuilder("connect + select 1, median of 30 (us):");
        samples.forEach((name, values) -> {
            values.sort(Long::compare);
            report.append(' ').append(name).append('=').append(values.get(values.size() / 2)).append(';');
        });
        System.out.println(report);
        assertThat(samples).hasSize(4);
    }

    interface Connector {
        Connection open() throws SQLException;
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection(bed.directUrl("postgres"), "admin", ADMIN_PASSWORD);
    }

    /** Backends of sessions with this application_name, which the proxy passes on to the compute. */
    private int backends(String applicationName) throws SQLException {
        try (Connection admin = admin(); ResultSet rs = admin.createStatement().executeQuery(
                "select count(*) from pg_stat_activity where application_name = '" + applicationName + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private void awaitSleeping() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection admin = admin(); ResultSet rs = admin.createStatement().executeQuery(
                    "select count(*) from pg_stat_activity where state = 'active' and query like '%pg_sleep(60)%'"
                            + " and usename = 'alice'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the query never started");
    }

    private void awaitBackends(String applicationName, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (backends(applicationName) != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(backends(applicationName)).isEqualTo(expected);
    }
}
