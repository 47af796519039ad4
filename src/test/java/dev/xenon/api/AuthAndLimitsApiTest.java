package dev.xenon.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.TestServer;
import dev.xenon.throttle.FailureThrottle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthAndLimitsApiTest {
    private static TestServer server;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        api = server.client();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void requestsWithoutAValidKeyAre401() {
        assertThat(server.client(null).get("/projects").expect(401).body().get("code").asText())
                .isEqualTo("UNAUTHORIZED");
        server.client("napi_" + "x".repeat(64)).get("/projects").expect(401);
        server.client("").get("/projects").expect(401);
    }

    @Test
    void apiKeysAreCreatedUsedListedAndRevoked() throws InterruptedException {
        JsonNode created = api.post("/api_keys", Map.of("key_name", "ci")).expect(200).body();
        String token = created.get("key").asText();
        assertThat(token).matches("napi_[a-z0-9]{64}");
        assertThat(created.has("project_id")).isFalse();
        long id = created.get("id").asLong();
        ApiClient ci = server.client(token);
        ci.get("/projects").expect(200);

        JsonNode listed = null;
        for (int i = 0; i < 50; i++) {
            for (JsonNode key : api.get("/api_keys").expect(200).body()) {
                if (key.get("id").asLong() == id && key.has("last_used_at")) {
                    listed = key;
                }
            }
            if (listed != null) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(listed).as("key %s shows its last use", id).isNotNull();
        assertThat(listed.get("name").asText()).isEqualTo("ci");
        assertThat(listed.get("last_used_from_addr").asText()).isEqualTo("127.0.0.1");
        assertThat(listed.get("created_by").get("id").asText()).isNotEmpty();
        assertThat(Instant.parse(listed.get("last_used_at").asText())).isBefore(Instant.now().plusSeconds(1));

        JsonNode revoked = api.delete("/api_keys/" + id).expect(200).body();
        assertThat(revoked.get("revoked").asBoolean()).isTrue();
        ci.get("/projects").expect(401);
        api.delete("/api_keys/" + id).expect(404);
        api.delete("/api_keys/abc").expect(400);
        for (JsonNode key : api.get("/api_keys").body()) {
            assertThat(key.get("id").asLong()).isNotEqualTo(id);
        }
    }

    @Test
    void apiKeyNamesAreChecked() {
        api.post("/api_keys", Map.of("key_name", "k".repeat(65))).expect(400);
        api.post("/api_keys", Map.of()).expect(400);
        api.post("/api_keys", Map.of("key_name", 7)).expect(400);
    }

    @Test
    void requestIdIsEchoedInErrorsAndHeaders() {
        ApiClient.Response response = api.send("GET", "/projects/nope-nope-00000000", null,
                Map.of("X-Request-ID", "trace-42"));
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().get("request_id").asText()).isEqualTo("trace-42");
        assertThat(response.header("X-Request-ID")).isEqualTo("trace-42");
    }

    @Test
    void unknownRoutesAnswerWithANeonError() {
        ApiClient.Response response = api.sendOutsideSpec("GET", "/no/such/route", null);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body().get("message").asText()).contains("/no/such/route");
    }

    @Test
    void callerDetailsAndRegionsAreServed() {
        JsonNode me = api.get("/users/me").expect(200).body();
        assertThat(me.get("email").asText()).contains("@");
        JsonNode orgs = api.get("/users/me/organizations").expect(200).body().get("organizations");
        assertThat(orgs).hasSize(1);
        assertThat(api.get("/auth").expect(200).body().get("auth_method").asText()).isEqualTo("api_key_user");
        JsonNode regions = api.get("/regions").expect(200).body().get("regions");
        assertThat(regions).isNotEmpty();
        long defaults = 0;
        for (JsonNode region : regions) {
            defaults += region.get("default").asBoolean() ? 1 : 0;
        }
        assertThat(defaults).isEqualTo(1);
        assertThat(api.get("/projects/shared").expect(200).body().get("projects")).isEmpty();
    }

    @Test
    void invalidKeysAreLimitedPerClientAddress() throws InterruptedException {
        try (TestServer limited = TestServer.start(config -> config.withSecurity(config.security().withLimits(
                config.security().proxyLogins(), new FailureThrottle.Limit(3, Duration.ofSeconds(2)))))) {
            ApiClient guesser = limited.client("napi_" + "g".repeat(64));
            long started = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                guesser.get("/projects").expect(401);
            }
            ApiClient.Response refused = guesser.get("/projects");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.header("Retry-After")).isNotNull();
            assertThat(refused.body().get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            assertThat(refused.body().get("message").asText()).contains("too many invalid API keys");
            // Refused before the key is looked at: from this address even a valid key waits, so a right guess
            // cannot be told from a wrong one.
            limited.client().get("/projects").expect(429);
            Thread.sleep(Math.max(0, 2200 - (System.nanoTime() - started) / 1_000_000));
            limited.client().get("/projects").expect(200);
        }
    }

    @Test
    void burstsAbovePerRouteLimitGet429WithRetryAfter() {
        try (TestServer limited = TestServer.start(config -> config.withApi(config.api().withRateLimits(700, 5)))) {
            ApiClient client = limited.client();
            int limitedAt = -1;
            for (int i = 0; i < 20 && limitedAt < 0; i++) {
                if (client.get("/projects").status() == 429) {
                    limitedAt = i;
                }
            }
            assertThat(limitedAt).as("request that hit the burst limit").isBetween(5, 19);
            ApiClient.Response tooMany = client.get("/projects");
            assertThat(tooMany.status()).isEqualTo(429);
            assertThat(tooMany.header("Retry-After")).isNotNull();
            assertThat(tooMany.body().get("code").asText()).isEqualTo("TOO_MANY_REQUESTS");
            client.get("/regions").expect(200);
        }
    }

    @Test
    void sustainedRateIsLimitedPerKey() {
        try (TestServer limited = TestServer.start(config -> config.withApi(config.api().withRateLimits(10, 100)))) {
            ApiClient client = limited.client();
            int ok = 0;
            for (int i = 0; i < 15; i++) {
                String path = i % 2 == 0 ? "/projects" : "/regions";
                ok += client.get(path).status() == 200 ? 1 : 0;
            }
            assertThat(ok).isEqualTo(10);
        }
    }
}
