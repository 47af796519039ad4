package dev.xenon.proxy;

import dev.xenon.throttle.FailureThrottle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static dev.xenon.proxy.ProxyTestBed.ENDPOINT;
import static dev.xenon.proxy.ProxyTestBed.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** pgjdbc through the proxy: routing by options and password, and every refusal with its SQLSTATE. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyAuthAndRoutingTest {
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

    @Test
    void optionsOnTheMainPortRouteOverTlsAndInTheClear() throws SQLException {
        for (String sslmode : List.of("require", "disable")) {
            try (Connection c = bed.connect(PASSWORD, "options", "endpoint=" + ENDPOINT, "sslmode", sslmode)) {
                assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
            }
        }
    }

    @Test
    void otherOptionsStillReachTheCompute() throws SQLException {
        try (Connection c = bed.connect(PASSWORD, "options", "-c search_path=elsewhere --endpoint=" + ENDPOINT);
             ResultSet rs = c.createStatement().executeQuery("show search_path")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("elsewhere");
        }
    }

    @Test
    void endpointPortRoutesWithoutAnyHint() throws SQLException {
        try (Connection c = bed.connectTo(bed.endpointPort, ProxyTestBed.DATABASE, PASSWORD)) {
            assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
        }
    }

    @Test
    void passwordCarriesTheEndpointWithEitherSeparator() throws SQLException {
        for (String password : List.of("endpoint=" + ENDPOINT + ";" + PASSWORD, "endpoint=" + ENDPOINT + "$" + PASSWORD)) {
            try (Connection c = bed.connect(password, "sslmode", "require")) {
                assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
            }
        }
    }

    @Test
    void wrongPasswordIs28P01() {
        assertRefused(() -> bed.connect("wrong", "options", "endpoint=" + ENDPOINT), "28P01",
                "password authentication failed for user \"alice\"");
        assertRefused(() -> bed.connect("endpoint=" + ENDPOINT + ";wrong", "sslmode", "require"), "28P01",
                "password authentication failed");
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=" + ENDPOINT, "user", "mallory"), "28P01",
                "password authentication failed for user \"mallory\"");
    }

    @Test
    void failedLoginsAreThrottledPerEndpointRoleAndAddress() throws Exception {
        ProxyConfig throttled = bed.config.withLoginFailures(new FailureThrottle.Limit(3, Duration.ofSeconds(3)));
        try (ProxyServer proxy = new ProxyServer(throttled, bed.directory)) {
            proxy.start();
            for (String wrong : List.of("wrong1", "wrong2", "wrong3")) {
                assertRefused(() -> bed.connectTo(proxy.port(), ProxyTestBed.DATABASE, wrong,
                        "options", "endpoint=" + ENDPOINT, "sslmode", "require"), "28P01", "password authentication");
            }
            // Refused without looking at the password: the right one is refused too, until the window passes.
            long started = System.nanoTime();
            assertRefused(() -> bed.connectTo(proxy.port(), ProxyTestBed.DATABASE, PASSWORD,
                    "options", "endpoint=" + ENDPOINT, "sslmode", "require"), "53300",
                    "too many failed authentication attempts for user \"alice\" from this address; try again in");
            // Another role is counted apart.
            assertRefused(() -> bed.connectTo(proxy.port(), ProxyTestBed.DATABASE, "wrong",
                    "options", "endpoint=" + ENDPOINT, "sslmode", "require", "user", "mallory"), "28P01",
                    "password authentication failed for user \"mallory\"");
            Thread.sleep(Math.max(0, 3200 - (System.nanoTime() - started) / 1_000_000));
            try (Connection c = bed.connectTo(proxy.port(), ProxyTestBed.DATABASE, PASSWORD,
                    "options", "endpoint=" + ENDPOINT, "sslmode", "require")) {
                assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
            }
        }
    }

    @Test
    void addressOutsideTheAllowlistIsRefusedByName() throws SQLException {
        bed.directory.put(new EndpointInfo("ep-locked", "prj-locked", false,
                FakeDirectory.allowlist("10.0.0.0/8", "2001:db8::/32"), false, false, 0));
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=ep-locked"), "28000",
                "connection from IP address 127.0.0.1 is not allowed by the IP allowlist of project prj-locked");

        // protected_branches_only: the allowlist binds only endpoints on protected branches.
        bed.directory.put(new EndpointInfo("ep-unprotected", "prj-locked", false,
                FakeDirectory.allowlist("10.0.0.0/8"), true, false, 0));
        bed.directory.put(new EndpointInfo("ep-protected", "prj-locked", false,
                FakeDirectory.allowlist("10.0.0.0/8"), true, true, 0));
        try (Connection c = bed.connect(PASSWORD, "options", "endpoint=ep-unprotected")) {
            assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
        }
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=ep-protected"), "28000", "127.0.0.1");

        bed.directory.put(new EndpointInfo("ep-open", "prj-open", false,
                FakeDirectory.allowlist("127.0.0.0/24"), false, false, 0));
        try (Connection c = bed.connect(PASSWORD, "options", "endpoint=ep-open")) {
            assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
        }
    }

    @Test
    void disabledUnknownAndDeletedEndpointsAreRefused() {
        bed.directory.put(new EndpointInfo("ep-off", "prj-off", true, List.of(), false, false, 0));
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=ep-off"), "08004", "endpoint ep-off is disabled");
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=ep-nope"), "08004", "endpoint ep-nope not found");
        assertRefused(() -> bed.connect("endpoint=ep-nope;" + PASSWORD, "sslmode", "require"), "08004", "not found");

        bed.directory.add("ep-doomed", 0);
        bed.directory.endpoints.remove("ep-doomed");
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=ep-doomed"), "08004", "not found");
    }

    @Test
    void connectionNamingNoEndpointIsToldHow() {
        assertRefused(() -> bed.connect(PASSWORD, "sslmode", "require"), "08004", "endpoint ID is not specified");
        // In the clear the proxy will not even ask for a cleartext password.
        assertRefused(() -> bed.connect(PASSWORD, "sslmode", "disable"), "08004", "endpoint ID is not specified");
    }

    @Test
    void defaultProxyRefusesPlaintext() throws SQLException {
        ProxyConfig defaults = ProxyConfig.defaults(0, bed.config.caDir())
                .withListenAddress(InetAddress.getLoopbackAddress());
        try (ProxyServer strict = new ProxyServer(defaults, bed.directory)) {
            strict.start();
            assertRefused(() -> bed.connectTo(strict.port(), ProxyTestBed.DATABASE, PASSWORD,
                    "options", "endpoint=" + ENDPOINT, "sslmode", "disable"), "28000",
                    "connection is insecure (try using `sslmode=require`)");
            try (Connection c = bed.connectTo(strict.port(), ProxyTestBed.DATABASE, PASSWORD,
                    "options", "endpoint=" + ENDPOINT, "sslmode", "require")) {
                assertThat(whoAndWhere(c)).isEqualTo("alice@appdb");
            }
        }
    }

    @Test
    void computeThatCannotStartIs57P03() {
        bed.directory.add("ep-broken", 0);
        bed.directory.failingWakes.put("ep-broken", "no space left on device");
        assertRefused(() -> bed.connect(PASSWORD, "options", "endpoint=ep-broken"), "57P03",
                "could not start the compute of endpoint ep-broken: no space left on device");
    }

    @Test
    void computeErrorsReachTheClientVerbatim() {
        assertRefused(() -> bed.connectTo(bed.proxy.port(), "nosuchdb", PASSWORD, "options", "endpoint=" + ENDPOINT),
                "3D000", "database \"nosuchdb\" does not exist");
    }

    @Test
    void sessionsAndBytesAreCounted() throws Exception {
        bed.directory.add("ep-counted", 0);
        try (Connection c = bed.connect(PASSWORD, "options", "endpoint=ep-counted");
             ResultSet rs = c.createStatement().executeQuery("select repeat('x', 100000)")) {
            rs.next();
            assertThat(bed.directory.activity.get("ep-counted")).containsExactly(1, 0, 0);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (bed.directory.activity.get("ep-counted")[1] == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        long[] activity = bed.directory.activity.get("ep-counted");
        assertThat(activity[0]).isEqualTo(1);
        assertThat(activity[1]).isEqualTo(1);
        assertThat(activity[2]).isBetween(100_000L, 110_000L);
    }

    private static String whoAndWhere(Connection c) throws SQLException {
        try (ResultSet rs = c.createStatement().executeQuery("select current_user || '@' || current_database()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    interface Connect {
        Connection open() throws SQLException;
    }

    static void assertRefused(Connect connect, String sqlState, String message) {
        assertThatThrownBy(() -> connect.open().close())
                .isInstanceOfSatisfying(SQLException.class, e -> {
                    assertThat(e.getSQLState()).as(e.getMessage()).isEqualTo(sqlState);
                    assertThat(e.getMessage()).contains(message);
                });
    }
}
