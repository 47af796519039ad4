package dev.xenon.proxy;

import dev.xenon.proxy.protocol.Message;
import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PacketWriter;
import dev.xenon.proxy.protocol.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import static dev.xenon.proxy.ProxyTestBed.DATABASE;
import static dev.xenon.proxy.ProxyTestBed.DOMAIN;
import static dev.xenon.proxy.ProxyTestBed.ENDPOINT;
import static dev.xenon.proxy.ProxyTestBed.PASSWORD;
import static dev.xenon.proxy.ProxyTestBed.ROLE;
import static org.assertj.core.api.Assertions.assertThat;

/** TLS in all its forms: psql with channel binding and SNI, pgjdbc with -PLUS and direct TLS, raw negotiation. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyTlsTest {
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

    private String conninfo(String hostPart, int port, String extra) {
        return hostPart + " port=" + port + " user=" + ROLE + " dbname=" + DATABASE + " " + extra;
    }

    @Test
    void psqlWithChannelBindingOnTheEndpointPort() throws Exception {
        Psql.Result result = Psql.run(conninfo("host=127.0.0.1", bed.endpointPort,
                "sslmode=require channel_binding=require"), PASSWORD, "select 1");
        assertThat(result.output()).isEqualTo("1");
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void psqlRoutesBySniHostIncludingThePoolerHost() throws Exception {
        for (String host : new String[] {ENDPOINT, ENDPOINT + "-pooler"}) {
            Psql.Result result = Psql.run(conninfo("host=" + host + "." + DOMAIN + " hostaddr=127.0.0.1",
                    bed.proxy.port(), "sslmode=require"), PASSWORD, "select current_user");
            assertThat(result.output()).as(host).isEqualTo(ROLE);
        }
    }

    @Test
    void psqlIsRefusedWhenSniAndOptionsDisagree() throws Exception {
        Psql.Result result = Psql.run(conninfo("host=" + ENDPOINT + "." + DOMAIN + " hostaddr=127.0.0.1",
                bed.proxy.port(), "sslmode=require options=endpoint=ep-other"), PASSWORD, "select 1");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.output()).contains("does not match the server name");
    }

    @Test
    void psqlPasswordHackAndWrongPassword() throws Exception {
        String info = conninfo("host=127.0.0.1", bed.proxy.port(), "sslmode=require");
        assertThat(Psql.run(info, "endpoint=" + ENDPOINT + ";" + PASSWORD, "select 1").output()).isEqualTo("1");
        Psql.Result wrong = Psql.run(conninfo("host=127.0.0.1", bed.endpointPort, "sslmode=require"), "nope", "select 1");
        assertThat(wrong.exitCode()).isNotZero();
        assertThat(wrong.output()).contains("password authentication failed for user \"alice\"");
    }

    @Test
    void jdbcWithChannelBindingRequired() throws SQLException {
        try (Connection c = bed.connect(PASSWORD, "options", "endpoint=" + ENDPOINT, "sslmode", "require",
                "channelBinding", "require");
             ResultSet rs = c.createStatement().executeQuery("select 42")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void jdbcDirectTls() throws SQLException {
        try (Connection c = bed.connect(PASSWORD, "options", "endpoint=" + ENDPOINT, "sslmode", "require",
                "sslNegotiation", "direct");
             ResultSet rs = c.createStatement().executeQuery("select 7")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(7);
        }
    }

    @Test
    void directTlsWithAlpnAndSniServesAStartupMessage() throws Exception {
        try (RawClient client = RawClient.directTls(bed.proxy.port(), "postgresql", ENDPOINT + "." + DOMAIN)) {
            client.startup(Map.of("user", ROLE, "database", DATABASE));
            Message first = client.login(bed.directory.verifiers.get(ROLE), PASSWORD);
            assertThat((char) first.type()).isIn('S', 'K', 'Z');
            // Read the rest of the start-up answer up to ReadyForQuery.
            for (Message m = first; m.type() != MessageTypes.READY_FOR_QUERY; m = client.read()) {
                assertThat(m.type()).isNotEqualTo(MessageTypes.ERROR_RESPONSE);
            }
            assertThat(client.queryOne("select 'direct'")).isEqualTo("direct");
        }
    }

    @Test
    void directTlsWithoutAlpnIsRefused() throws Exception {
        try (RawClient client = RawClient.directTls(bed.proxy.port(), null, null)) {
            Message error = client.read();
            assertThat((char) error.type()).isEqualTo('E');
            assertThat(new String(error.body(), StandardCharsets.UTF_8)).contains("08P01").contains("ALPN");
        }
    }

    @Test
    void gssEncryptionIsRefusedAndTlsThenOffered() throws Exception {
        try (RawClient client = new RawClient(new Socket("127.0.0.1", bed.proxy.port()))) {
            client.socket.setSoTimeout(10_000);
            client.sendUntyped(MessageTypes.GSSENC_REQUEST);
            assertThat(client.in.read()).isEqualTo('N');
            client.sendUntyped(MessageTypes.SSL_REQUEST);
            assertThat(client.in.read()).isEqualTo('S');
        }
    }

    @Test
    void newerMinorProtocolIsNegotiatedDownTo30() throws Exception {
        try (RawClient client = new RawClient(new Socket("127.0.0.1", bed.endpointPort))) {
            client.socket.setSoTimeout(10_000);
            // Protocol 3.2 (PostgreSQL 18) with a protocol option we do not know.
            byte[] body = new PacketWriter().int32((3 << 16) | 2).cstring("user").cstring(ROLE)
                    .cstring("database").cstring(DATABASE).cstring("_pq_.shiny").cstring("on").int8(0).toByteArray();
            Wire.writeStartupPacket(client.out, body);
            client.out.flush();
            Message negotiate = client.read();
            assertThat((char) negotiate.type()).isEqualTo('v');
            PacketReader reader = negotiate.reader();
            assertThat(reader.int32()).isZero();
            assertThat(reader.int32()).isEqualTo(1);
            assertThat(reader.cstring()).isEqualTo("_pq_.shiny");
            Message ready = client.login(bed.directory.verifiers.get(ROLE), PASSWORD);
            for (Message m = ready; m.type() != MessageTypes.READY_FOR_QUERY; m = client.read()) {
                assertThat(m.type()).isNotEqualTo(MessageTypes.ERROR_RESPONSE);
            }
            assertThat(client.queryOne("select 'negotiated'")).isEqualTo("negotiated");
        }
    }

    @Test
    void unsupportedProtocolVersionIsRefused() throws Exception {
        try (RawClient client = new RawClient(new Socket("127.0.0.1", bed.proxy.port()))) {
            client.socket.setSoTimeout(10_000);
            client.sendUntyped(2 << 16);
            Message error = client.read();
            assertThat(new String(error.body(), StandardCharsets.UTF_8)).contains("0A000")
                    .contains("unsupported frontend protocol 2.0");
        }
    }
}
