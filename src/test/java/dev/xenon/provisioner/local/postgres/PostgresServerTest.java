package dev.xenon.provisioner.local.postgres;

import dev.xenon.provisioner.local.PgTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresServerTest {
    private static final String PASSWORD = "s3cret-for-tests";

    @TempDir
    Path temp;

    private final List<PostgresServer> started = new ArrayList<>();

    @AfterEach
    void stopAll() {
        started.forEach(PostgresServer::stop);
    }

    @Test
    void initializesStartsAuthenticatesAndStops() throws Exception {
        Distribution dist = PgTestSupport.dist();
        Optional<OsUser> user = PgTestSupport.user();
        Path data = PgTestSupport.traversable(temp).resolve("data");

        long t0 = System.nanoTime();
        new InitDb(dist, user).run(data, "admin", PASSWORD, true);
        long initMillis = millisSince(t0);
        assertThat(Files.readString(data.resolve("PG_VERSION")).strip()).isEqualTo(Integer.toString(dist.major()));
        if (user.isPresent()) {
            assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(user.get().uid());
        }
        assertThat(Files.getAttribute(data, "unix:mode")).isEqualTo(040700);
        assertThat(listNames(temp)).containsExactly("data"); // the password file is gone

        PostgresServer server = track(new PostgresServer(dist, user, data));
        long t1 = System.nanoTime();
        server.start(0, Map.of("max_connections", "20"), temp.resolve("postgres.log"));
        long startMillis = millisSince(t1);

        assertThat(server.isAlive()).isTrue();
        assertThat(PgTestSupport.postmasterPid(data)).contains(server.pid());
        try (Connection c = connect(server.port(), "admin", PASSWORD);
             ResultSet rs = c.createStatement().executeQuery("show max_connections")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("20");
        }
        assertThatThrownBy(() -> connect(server.port(), "admin", "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");

        long pid = server.pid();
        long t2 = System.nanoTime();
        server.stop();
        long stopMillis = millisSince(t2);
        System.out.printf("timing: initdb (--no-sync) %d ms, start until ready %d ms, fast stop %d ms%n",
                initMillis, startMillis, stopMillis);

        assertThat(server.isAlive()).isFalse();
        assertThat(PgTestSupport.processAlive(pid)).isFalse();
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        assertThat(Files.readString(temp.resolve("postgres.log"))).contains("database system is shut down");

        // And again on the same cluster, with a durable initdb timing for comparison.
        server.start(0, Map.of(), temp.resolve("postgres.log"));
        try (Connection c = connect(server.port(), "admin", PASSWORD)) {
            assertThat(c.isValid(5)).isTrue();
        }
        Path durable = temp.resolve("durable");
        long t3 = System.nanoTime();
        new InitDb(dist, user).run(durable, "admin", PASSWORD, false);
        System.out.printf("timing: initdb (with sync) %d ms%n", millisSince(t3));
    }

    @Test
    void takesOverFromALeftoverPostmaster() throws Exception {
        Distribution dist = PgTestSupport.dist();
        Optional<OsUser> user = PgTestSupport.user();
        Path data = PgTestSupport.traversable(temp).resolve("data");
        new InitDb(dist, user).run(data, "admin", PASSWORD, true);

        // Stands in for a postmaster orphaned by a killed JVM.
        PostgresServer leftover = track(new PostgresServer(dist, user, data));
        leftover.start(0, Map.of(), temp.resolve("postgres.log"));
        long leftoverPid = leftover.pid();

        PostgresServer server = track(new PostgresServer(dist, user, data));
        server.start(0, Map.of(), temp.resolve("postgres.log"));

        assertThat(PgTestSupport.processAlive(leftoverPid)).isFalse();
        assertThat(server.pid()).isNotEqualTo(leftoverPid);
        assertThat(PgTestSupport.postmasterPid(data)).contains(server.pid());
        try (Connection c = connect(server.port(), "admin", PASSWORD)) {
            assertThat(c.isValid(5)).isTrue();
        }
    }

    @Test
    void everySupportedMajorInitializesAndServes() throws Exception {
        Optional<OsUser> user = PgTestSupport.user();
        Path root = PgTestSupport.traversable(temp);
        for (int major = Distribution.MIN_MAJOR; major <= Distribution.MAX_MAJOR; major++) {
            Distribution dist = Distribution.unpack(major, PgTestSupport.distDir(), PgTestSupport.cacheDir());
            Path data = root.resolve("data-" + major);
            new InitDb(dist, user).run(data, "admin", PASSWORD, true);
            PostgresServer server = track(new PostgresServer(dist, user, data));
            server.start(0, Map.of(), root.resolve("postgres-" + major + ".log"));
            try (Connection c = connect(server.port(), "admin", PASSWORD);
                 ResultSet rs = c.createStatement().executeQuery("show server_version_num")) {
                rs.next();
                assertThat(rs.getInt(1) / 10000).isEqualTo(major);
            }
            server.stop();
        }
    }

    @Test
    void refusesADirectoryWithoutCluster() throws IOException {
        Path data = Files.createDirectories(PgTestSupport.traversable(temp).resolve("data"));
        PostgresServer server = new PostgresServer(PgTestSupport.dist(), PgTestSupport.user(), data);

        assertThatThrownBy(() -> server.start(0, Map.of(), temp.resolve("log")))
                .hasMessageContaining("not a Postgres data directory");
        assertThat(server.isAlive()).isFalse();
    }

    @Test
    void initDbRefusesANonEmptyDirectory() throws IOException {
        Path data = Files.createDirectories(PgTestSupport.traversable(temp).resolve("data"));
        Files.writeString(data.resolve("something"), "x");

        assertThatThrownBy(() -> new InitDb(PgTestSupport.dist(), PgTestSupport.user()).run(data, "admin", PASSWORD, true))
                .hasMessageContaining("not empty");
    }

    private PostgresServer track(PostgresServer server) {
        started.add(server);
        return server;
    }

    private static Connection connect(int port, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", user, password);
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static List<String> listNames(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).toList();
        }
    }
}
