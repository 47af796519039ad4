package dev.xenon.server;

import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The server's proxy refuses sessions without TLS, as Neon's does, unless started with --allow-plaintext. */
class PlaintextSessionsTest {
    @Test
    void plaintextIsRefusedByDefaultAndAllowedOnRequest() {
        try (TestServer server = TestServer.start(PlaintextSessionsTest::freePorts)) {
            SQLException refused = plaintextAttempt(server);
            assertThat(refused.getSQLState()).isEqualTo("28000");
            assertThat(refused.getMessage()).contains("connection is insecure (try using `sslmode=require`)");
        }
        try (TestServer server = TestServer.start(c -> freePorts(c)
                .withSecurity(c.security().withAllowPlaintext(true)))) {
            // Past the TLS check to authentication, which a wrong password fails (and fails fast: no compute here).
            SQLException later = plaintextAttempt(server);
            assertThat(later.getSQLState()).isEqualTo("28P01");
        }
    }

    private static ServerConfig freePorts(ServerConfig config) {
        int first = TestServer.freeEndpointPorts(4);
        return config.withEndpoints(config.endpoints().withPorts(first, first + 3));
    }

    private static SQLException plaintextAttempt(TestServer server) {
        String uri = Projects.create(server.client(), Map.of("name", "plain")).at("/connection_uris/0/connection_uri")
                .asText();
        Properties plain = new Properties();
        plain.setProperty("sslmode", "disable");
        plain.setProperty("channelBinding", "disable");
        plain.setProperty("connectTimeout", "20");
        plain.setProperty("password", "wrong");
        return catchThrowableOfType(SQLException.class, () -> {
            try (Connection c = Pg.connect(uri, plain)) {
                c.isValid(5);
            }
        });
    }
}
