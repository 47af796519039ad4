package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.NodeScript;
import dev.xenon.testing.Pg;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static dev.xenon.testing.Pg.single;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Clients that verify the server's certificate connect with the URI as the API returns it once the local CA
 * ({@code <data-dir>/ca.crt}) is trusted, and with nothing else changed: node-postgres (which treats
 * {@code sslmode=require} as verify-full), pgjdbc and psql with {@code sslmode=verify-full}.
 *
 * <p>Needs {@code node} and {@code npm ci} in {@code e2e/} (pg is pinned there); fails rather than skips without.
 */
class TrustedTlsTest {
    /** Debian's bundle of public roots, which lacks Xenon's CA. */
    private static final String SYSTEM_ROOTS = "/etc/ssl/certs/ca-certificates.crt";

    private static TestServer server;
    private static String uri;
    private static Path ca;

    @BeforeAll
    static void start() {
        assertThat(NodeScript.E2E_DIR.resolve("node_modules/pg/package.json"))
                .as("node-postgres is not installed: run `npm ci` in %s", NodeScript.E2E_DIR).isRegularFile();
        server = TestServer.start(TestServer.withLocalDataPlane());
        ApiClient api = server.client();
        JsonNode created = Projects.create(api, Map.of("name", "trusted-tls"));
        Projects.awaitOperations(api, created.at("/project/id").asText());
        uri = created.at("/connection_uris/0/connection_uri").asText();
        ca = server.dataDir().resolve("ca.crt");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void nodePostgresConnectsWithTheUriAsReturnedOnceTheCaIsTrusted() throws Exception {
        assertThat(uri).endsWith("?sslmode=require&channel_binding=require");

        NodeScript.Run trusted = nodePg(uri, Map.of("NODE_EXTRA_CA_CERTS", ca.toString()),
                "select current_user as who, current_setting('server_version_num')::int / 10000 as major");
        assertThat(trusted.exitCode()).as(trusted.errors()).isZero();
        assertThat(trusted.output()).isEqualTo("[{\"who\":\"neondb_owner\",\"major\":17}]");

        // Without the CA, node-postgres refuses the proxy: the check above is real verification.
        NodeScript.Run untrusted = nodePg(uri, Map.of(), "select 1");
        assertThat(untrusted.exitCode()).isEqualTo(1);
        assertThat(untrusted.errors()).contains("UNABLE_TO_VERIFY_LEAF_SIGNATURE");
    }

    @Test
    void pgjdbcVerifiesTheProxyAgainstTheCa() throws Exception {
        String verifyFull = uri.replace("sslmode=require", "sslmode=verify-full&sslrootcert=" + ca);
        try (Connection c = Pg.connect(verifyFull); Statement s = c.createStatement()) {
            assertThat(single(s, "select current_user")).isEqualTo("neondb_owner");
        }
        // Other roots (the system's, without Xenon's CA) do not verify it: the check above is real verification.
        Properties otherRoots = new Properties();
        otherRoots.setProperty("sslrootcert", SYSTEM_ROOTS);
        assertThatThrownBy(() -> Pg.connect(verifyFull, otherRoots)).isInstanceOf(SQLException.class)
                .hasMessageContaining("SSL");
    }

    @Test
    void psqlVerifiesTheProxyByAddressAndByName() throws Exception {
        String verifyFull = uri.replace("sslmode=require", "sslmode=verify-full&sslrootcert=" + ca);
        assertThat(psql(verifyFull)).isEqualTo(Psql.ok("neondb_owner"));
        int port = URI.create(uri).getPort();
        assertThat(psql(verifyFull.replace("@127.0.0.1:" + port, "@localhost:" + port)))
                .isEqualTo(Psql.ok("neondb_owner"));
        Psql otherRoots = psql(uri.replace("sslmode=require", "sslmode=verify-full&sslrootcert=" + SYSTEM_ROOTS));
        assertThat(otherRoots.exitCode()).isNotZero();
        assertThat(otherRoots.output()).contains("certificate verify failed");
    }

    private record Psql(int exitCode, String output) {
        static Psql ok(String output) {
            return new Psql(0, output);
        }
    }

    private static Psql psql(String connectionUri) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("psql", connectionUri, "-XAtc", "select current_user")
                .redirectErrorStream(true);
        // The password is in the URI; no stray ~/.pgpass, service file or root certificate may change the result.
        builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
        builder.environment().put("PGPASSFILE", "/dev/null");
        builder.environment().put("PGSERVICEFILE", "/dev/null");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Psql(process.exitValue(), out);
    }

    private static NodeScript.Run nodePg(String connectionUri, Map<String, String> env, String sql)
            throws Exception {
        // stdout holds the rows alone; stderr the error, and pg's notice that sslmode=require means verify-full.
        return NodeScript.run("pg-query.mjs", List.of(connectionUri, sql), env);
    }
}
