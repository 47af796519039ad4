package dev.xenon.api;

import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The proxy listens on every endpoint's port, even when one of them is held by another socket for a while. */
class ProxyPortsApiTest {
    @Test
    void aPortHeldElsewhereDoesNotKeepTheOthersClosedAndIsBoundOnceFree() throws Exception {
        int first = TestServer.freeEndpointPorts(3);
        Socket holder = new Socket();
        holder.bind(new InetSocketAddress(first));
        try (TestServer server = TestServer.start(c -> c.withEndpointPorts(first, first + 2))) {
            int held = endpointPort(server);
            int other = endpointPort(server);
            assertThat(held).isEqualTo(first);
            assertThat(other).isNotEqualTo(first);

            assertThat(accepts(other)).as("the other endpoint's port").isTrue();
            assertThat(accepts(held)).as("the held port, while held").isFalse();

            holder.close();
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (!accepts(held) && Instant.now().isBefore(deadline)) {
                Thread.sleep(100);
            }
            assertThat(accepts(held)).as("the held port, once free").isTrue();
        } finally {
            holder.close();
        }
    }

    private static int endpointPort(TestServer server) {
        String host = Projects.create(server.client()).at("/endpoints/0/host").asText();
        assertThat(host).startsWith("127.0.0.1:");
        return Integer.parseInt(host.substring(host.indexOf(':') + 1));
    }

    private static boolean accepts(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
