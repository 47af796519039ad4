package dev.xenon.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.store.EmbeddedMetaStore;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Role passwords at rest: what a copy of the metadata store holds (read here straight from the table of an
 * external store), and that the API still hands the passwords out.
 */
class RolePasswordEncryptionTest {
    @TempDir
    Path dir;
    private EmbeddedMetaStore store;
    private String url;

    @BeforeEach
    void startStore() {
        store = EmbeddedMetaStore.start(PgTestSupport.traversable(dir).resolve("meta"), PgTestSupport.dist(),
                PgTestSupport.user());
        url = "postgresql://" + store.user() + ":" + URLEncoder.encode(store.password(), StandardCharsets.UTF_8)
                + "@127.0.0.1:" + store.port() + "/" + EmbeddedMetaStore.DATABASE;
    }

    @AfterEach
    void stopStore() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theStoreHoldsNoPasswordAndTheApiStillRevealsAndResetsThem() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withStore(c.store().withDatabaseUrl(url)))) {
            ApiClient api = server.client();
            JsonNode created = Projects.create(api, Map.of("name", "sealed"));
            String owner = created.at("/roles/0/name").asText();
            String password = created.at("/roles/0/password").asText();
            String roles = "/projects/" + created.at("/project/id").asText() + "/branches/"
                    + created.at("/branch/id").asText() + "/roles";
            JsonNode other = api.post(roles, Map.of("role", Map.of("name", "app_user"))).expect(201).body();
            String otherPassword = other.at("/role/password").asText();
            assertThat(password).startsWith("npg_");

            assertThat(storedPasswords()).isNotEmpty().allSatisfy(stored -> assertThat(stored)
                    .startsWith("aesgcm1:").doesNotContain(password).doesNotContain(otherPassword));
            assertThat(api.get(roles + "/" + owner + "/reveal_password").expect(200).body().get("password").asText())
                    .isEqualTo(password);

            String reset = api.post(roles + "/app_user/reset_password", Map.of()).expect(200).body()
                    .at("/role/password").asText();
            assertThat(storedPasswords()).allSatisfy(stored -> assertThat(stored).doesNotContain(reset));
            assertThat(api.get(roles + "/app_user/reveal_password").expect(200).body().get("password").asText())
                    .isEqualTo(reset);
            // The same password is sealed under a fresh nonce each time: equal passwords do not show as equal.
            assertThat(storedPasswords()).doesNotHaveDuplicates();

            Path keyFile = server.dataDir().resolve("secret-key");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
            assertThat(Base64.getUrlDecoder().decode(Files.readString(keyFile).strip())).hasSize(32);
        }
    }

    @Test
    void plaintextFromAnEarlierVersionIsEncryptedAtStartAndAnotherKeyIsRefused() throws Exception {
        String key = Base64.getEncoder().encodeToString(new byte[32]).replace('A', 'k');
        try (TestServer server = TestServer.start(c -> c.withStore(c.store().withDatabaseUrl(url))
                .withSecurity(c.security().withSecretKey(key)))) {
            ApiClient api = server.client();
            JsonNode created = Projects.create(api, Map.of("name", "legacy"));
            String owner = created.at("/roles/0/name").asText();
            String branch = created.at("/branch/id").asText();
            String roles = "/projects/" + created.at("/project/id").asText() + "/branches/" + branch + "/roles";
            // The key came from XENON_SECRET_KEY: no key file.
            assertThat(server.dataDir().resolve("secret-key")).doesNotExist();
            execute("update roles set password = 'npg_storedInTheClear' where branch_id = '" + branch + "'");

            server.restart();
            assertThat(storedPasswords()).noneMatch(p -> p.contains("npg_storedInTheClear"))
                    .allSatisfy(p -> assertThat(p).startsWith("aesgcm1:"));
            assertThat(server.client().get(roles + "/" + owner + "/reveal_password").expect(200).body()
                    .get("password").asText()).isEqualTo("npg_storedInTheClear");
        }
        // A server with another key would hand out garbage or fail later: it does not start.
        assertThatThrownBy(() -> TestServer.start(c -> c.withStore(c.store().withDatabaseUrl(url))).close())
                .hasStackTraceContaining("does not decrypt with this server's secret key");
    }

    private List<String> storedPasswords() throws SQLException {
        List<String> stored = new ArrayList<>();
        try (Connection c = metadata(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select password from roles where password is not null")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        return stored;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = metadata(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private Connection metadata() throws SQLException {
        return DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
    }
}
