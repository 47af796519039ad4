package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static dev.xenon.testing.Pg.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Where API and proxy listen, and which host connection URIs name. All of 127.0.0.0/8 is this machine, so a
 * listener on 127.0.0.1 alone refuses 127.0.0.2, while one on 0.0.0.0 takes it, like any other interface.
 */
class ListenAddressApiTest {
    @Test
    void apiAndProxyListenOnLoopbackOnlyByDefault() throws Exception {
        try (TestServer server = TestServer.start()) {
            int api = URI.create(server.baseUrl()).getPort();
            String host = Projects.create(server.client()).at("/endpoints/0/host").asText();
            int endpoint = Integer.parseInt(host.substring(host.indexOf(':') + 1));
            assertThat(host).startsWith("127.0.0.1:");

            assertThat(accepts("127.0.0.1", api)).isTrue();
            assertThat(accepts("127.0.0.1", endpoint)).isTrue();
            assertThat(accepts("127.0.0.2", api)).as("API from another address").isFalse();
            assertThat(accepts("127.0.0.2", endpoint)).as("proxy from another address").isFalse();
        }
    }

    @Test
    void onEveryAddressUrisNameTheAdvertisedHostAndTheAllowlistSeesEachClientsAddress() throws Exception {
        try (TestServer server = TestServer.start(c -> TestServer.withLocalDataPlane().apply(c)
                .withAddresses("0.0.0.0", "127.0.0.2"))) {
            assertThat(accepts("127.0.0.2", URI.create(server.baseUrl()).getPort())).isTrue();
            JsonNode created = Projects.create(server.client(), Map.of("settings",
                    Map.of("allowed_ips", Map.of("ips", List.of("127.0.0.3")))));
            String uri = created.at("/connection_uris/0/connection_uri").asText();
            assertThat(URI.create(uri).getHost()).isEqualTo("127.0.0.2");

            try (Connection c = Pg.connect(uri, from("127.0.0.3")); Statement s = c.createStatement()) {
                assertThat(single(s, "select 1")).isEqualTo("1");
            }
            assertThatThrownBy(() -> Pg.connect(uri, from("127.0.0.4")).close())
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("connection from IP address 127.0.0.4 is not allowed by the IP allowlist");
        }
    }

    /** pgjdbc binds its end of the connection to this address, so the proxy sees it as the client's. */
    private static Properties from(String address) {
        Properties props = new Properties();
        props.setProperty("localSocketAddress", address);
        return props;
    }

    private static boolean accepts(String address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
