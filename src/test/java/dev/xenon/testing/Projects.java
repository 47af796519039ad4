package dev.xenon.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Small steps most API tests share: make a project, wait for its operations. */
public final class Projects {
    private Projects() {}

    public static JsonNode create(ApiClient api, Map<String, Object> project) {
        return api.post("/projects", Map.of("project", project)).expect(201).body();
    }

    public static JsonNode create(ApiClient api) {
        return create(api, Map.of());
    }

    /** Polls the project's operations until none is scheduled or running; fails after {@code timeout}. */
    public static void awaitOperations(ApiClient api, String projectId, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode ops = api.get("/projects/" + projectId + "/operations?limit=1000").expect(200).body()
                    .get("operations");
            boolean done = true;
            for (JsonNode op : ops) {
                String status = op.get("status").asText();
                assertThat(status).as("operation %s", op).isNotEqualTo("failed");
                done &= status.equals("finished");
            }
            if (done) {
                return;
            }
            assertThat(Instant.now()).as("operations of %s still running: %s", projectId, ops).isBefore(deadline);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static void awaitOperations(ApiClient api, String projectId) {
        awaitOperations(api, projectId, Duration.ofSeconds(60));
    }
}
