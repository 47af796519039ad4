package dev.xenon.proxy;

import dev.xenon.proxy.protocol.FrontendMessages;
import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PacketWriter;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.xenon.proxy.ProxyTestBed.DATABASE;
import static dev.xenon.proxy.ProxyTestBed.DOMAIN;
import static dev.xenon.proxy.ProxyTestBed.ENDPOINT;
import static dev.xenon.proxy.ProxyTestBed.PASSWORD;
import static dev.xenon.proxy.ProxyTestBed.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Postgres protocol inside a WebSocket on the proxy's HTTPS port, at the wire: the serverless driver's pipelined
 * start-up, each way of naming the endpoint, the allowlist, cancel, and what the port refuses.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyWebSocketTest {
    private ProxyTestBed bed;
    private int https;

    @BeforeAll
    void start(@TempDir Path temp) throws SQLException {
        bed = new ProxyTestBed(temp);
        https = bed.proxy.listenHttps(0);
    }

    @AfterAll
    void stop() {
        bed.close();
    }

    @Test
    void pipelinedStartUpPasswordAndQueryInOneFrameByAddressPort() throws Exception {
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2?address=127.0.0.1:" + bed.endpointPort,
                "127.0.0.1:" + https)) {
            assertThat(ws.response).startsWith("HTTP/1.1 101 ");
            // As the driver sends it with pipelineConnect "password": nothing waits for the server.
            Wire.writeStartupPacket(ws.out, FrontendMessages.startup(Map.of("user", ROLE, "database", DATABASE)));
            password(ws, PASSWORD);
            query(ws, "select current_user || '@' || current_database()");
            ws.out.flush();

            List<Message> messages = readUntilReady(ws, 2);
            assertThat(messages.getFirst().authCode()).as("cleartext password, as Neon asks over WebSocket")
                    .isEqualTo(MessageTypes.AUTH_CLEARTEXT_PASSWORD);
            assertThat(messages.get(1).authCode()).isEqualTo(MessageTypes.AUTH_OK);
            assertThat(messages).anyMatch(m -> m.type() == MessageTypes.BACKEND_KEY_DATA);
            assertThat(dataRows(messages)).containsExactly("alice@appdb");
        }
    }

    @Test
    void theHostHeaderNamesTheEndpointUnderTheProxyDomain() throws Exception {
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2", ENDPOINT + "." + DOMAIN)) {
            assertThat(login(ws, PASSWORD, Map.of())).containsExactly("alice@appdb");
        }
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2", "127.0.0.1")) {
            assertThat(login(ws, PASSWORD, Map.of("options", "endpoint=" + ENDPOINT)))
                    .as("or the options parameter").containsExactly("alice@appdb");
        }
    }

    @Test
    void refusalsAreErrorResponsesInsideTheWebSocket() throws Exception {
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2?address=127.0.0.1:" + bed.endpointPort,
                "127.0.0.1")) {
            assertThat(error(ws, "wrong", Map.of())).contains("28P01", "password authentication failed");
        }
        bed.directory.put(new EndpointInfo("ep-ws-locked", "prj-ws-locked", false,
                FakeDirectory.allowlist("10.0.0.0/8"), false, false, 0));
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2", "ep-ws-locked." + DOMAIN)) {
            assertThat(error(ws, PASSWORD, Map.of())).contains("28000",
                    "connection from IP address 127.0.0.1 is not allowed by the IP allowlist of project prj-ws-locked");
        }
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2?address=127.0.0.1:1", "127.0.0.1")) {
            assertThat(error(ws, PASSWORD, Map.of())).contains("08004", "no endpoint uses port 1");
        }
    }

    @Test
    void anSslRequestInsideTheWebSocketIsDeclinedAndTheSessionGoesOn() throws Exception {
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2", ENDPOINT + "." + DOMAIN)) {
            Wire.writeStartupPacket(ws.out, new PacketWriter().int32(MessageTypes.SSL_REQUEST).toByteArray());
            ws.out.flush();
            assertThat(ws.in.read()).isEqualTo(MessageTypes.ENCRYPTION_REFUSED);
            assertThat(login(ws, PASSWORD, Map.of())).containsExactly("alice@appdb");
        }
    }

    @Test
    void aCancelRequestOverAWebSocketCancelsTheQuery() throws Exception {
        try (WebSocketTestClient ws = WebSocketTestClient.tls(https, "/v2", ENDPOINT + "." + DOMAIN)) {
            Wire.writeStartupPacket(ws.out, FrontendMessages.startup(Map.of("user", ROLE, "database", DATABASE)));
            password(ws, PASSWORD);
            ws.out.flush();
            Message key = readUntilReady(ws, 1).stream().filter(m -> m.type() == MessageTypes.BACKEND_KEY_DATA)
                    .findFirst().orElseThrow();
            query(ws, "select pg_sleep(30)");
            ws.out.flush();
            CompletableFuture<List<Message>> sleeping = CompletableFuture.supplyAsync(() -> {
                try {
                    return readUntilReady(ws, 1);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            try (WebSocketTestClient canceller = WebSocketTestClient.tls(https, "/v2", "127.0.0.1")) {
                PacketReader fields = key.reader();
                Wire.writeStartupPacket(canceller.out, FrontendMessages.cancelRequest(fields.int32(), fields.int32()));
                canceller.out.flush();
                assertThat(canceller.in.read()).as("the proxy answers a cancel with nothing").isEqualTo(-1);
            }
            assertThat(errors(sleeping.get(20, TimeUnit.SECONDS))).anyMatch(e -> e.contains("57014"));
        }
    }

    @Test
    void whatThePortRefuses() throws Exception {
        assertThat(WebSocketTestClient.exchange(https, "POST /sql HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .startsWith("HTTP/1.1 404 ").contains("SQL over HTTP is not served yet");
        assertThat(WebSocketTestClient.exchange(https, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
                .startsWith("HTTP/1.1 404 ").contains("Postgres over WebSocket");
        ProxyServer strict = new ProxyServer(bed.config.withRequireTls(true), bed.directory);
        strict.start();
        try {
            int port = strict.listenHttps(0);
            try (WebSocketTestClient ws = WebSocketTestClient.plain(port, "/v2", ENDPOINT + "." + DOMAIN)) {
                assertThat(ws.response).startsWith("HTTP/1.1 400 ").contains("wss://");
            }
        } finally {
            strict.close();
        }
        try (WebSocketTestClient ws = WebSocketTestClient.plain(https, "/v2", ENDPOINT + "." + DOMAIN)) {
            assertThat(login(ws, PASSWORD, Map.of())).as("ws:// where plaintext is allowed")
                    .containsExactly("alice@appdb");
        }
    }

    private static List<String> login(WebSocketTestClient ws, String password, Map<String, String> extra)
            throws IOException, PgError {
        startup(ws, extra);
        password(ws, password);
        query(ws, "select current_user || '@' || current_database()");
        ws.out.flush();
        return dataRows(readUntilReady(ws, 2));
    }

    private static String error(WebSocketTestClient ws, String password, Map<String, String> extra)
            throws IOException, PgError {
        startup(ws, extra);
        password(ws, password);
        ws.out.flush();
        List<String> errors = errors(readUntilReady(ws, 1));
        assertThat(errors).hasSize(1);
        return errors.getFirst();
    }

    private static void startup(WebSocketTestClient ws, Map<String, String> extra) throws IOException {
        Map<String, String> parameters = new LinkedHashMap<>(Map.of("user", ROLE, "database", DATABASE));
        parameters.putAll(extra);
        Wire.writeStartupPacket(ws.out, FrontendMessages.startup(parameters));
    }

    private static void password(WebSocketTestClient ws, String password) throws IOException {
        Wire.writeMessage(ws.out, MessageTypes.PASSWORD_MESSAGE, new PacketWriter().cstring(password).toByteArray());
    }

    private static void query(WebSocketTestClient ws, String sql) throws IOException {
        Wire.writeMessage(ws.out, (byte) 'Q', new PacketWriter().cstring(sql).toByteArray());
    }

    /** Messages up to the {@code readies}-th ReadyForQuery, or to the end of the stream. */
    private static List<Message> readUntilReady(WebSocketTestClient ws, int readies) throws IOException {
        List<Message> messages = new ArrayList<>();
        try {
            while (readies > 0) {
                Message m = Wire.readMessage(ws.in, 1 << 20);
                messages.add(m);
                if (m.type() == MessageTypes.READY_FOR_QUERY) {
                    readies--;
                }
            }
        } catch (EOFException | PgError e) {
            // The proxy ended the session (after a FATAL error).
        }
        return messages;
    }

    /** The first column of each DataRow. */
    private static List<String> dataRows(List<Message> messages) throws PgError {
        List<String> values = new ArrayList<>();
        for (Message m : messages) {
            if (m.type() == 'D') {
                PacketReader row = m.reader();
                row.bytes(2);
                values.add(new String(row.bytes(row.int32()), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static List<String> errors(List<Message> messages) {
        return messages.stream().filter(m -> m.type() == MessageTypes.ERROR_RESPONSE)
                .map(m -> new String(m.body(), StandardCharsets.UTF_8)).toList();
    }
}
