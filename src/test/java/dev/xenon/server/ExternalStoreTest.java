package dev.xenon.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.store.EmbeddedMetaStore;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.Projects;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --database-url}: metadata lives in an external PostgreSQL, and a second server sees the same state. */
class ExternalStoreTest {
    @TempDir
    Path dir;

    @Test
    void twoServersOnOneExternalStoreShareState() {
        try (EmbeddedMetaStore external = EmbeddedMetaStore.start(PgTestSupport.traversable(dir).resolve("ext"),
                PgTestSupport.dist(), PgTestSupport.user())) {
            String url = "postgresql://" + external.user() + ":"
                    + URLEncoder.encode(external.password(), StandardCharsets.UTF_8) + "@127.0.0.1:" + external.port()
                    + "/" + EmbeddedMetaStore.DATABASE;
            try (TestServer first = TestServer.start(c -> c.withStore(c.store().withDatabaseUrl(url)));
                 TestServer second = TestServer.start(c -> c.withStore(c.store().withDatabaseUrl(url)))) {
                assertThat(Files.exists(first.dataDir().resolve("meta"))).isFalse();
                ApiClient a = first.client();
                JsonNode created = Projects.create(a, Map.of("name", "shared-store"));
                String id = created.get("project").get("id").asText();
                Projects.awaitOperations(a, id);
                JsonNode seen = second.client().get("/projects/" + id).expect(200).body().get("project");
                assertThat(seen.get("name").asText()).isEqualTo("shared-store");
            }
        }
    }
}
