package dev.xenon.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xenon.server.DataPlaneConfig;
import dev.xenon.testing.ApiClient;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures, through the API, how long the data plane takes: project create until its endpoint is active, branch
 * create until ready (parent running, and parent suspended), compute start after a suspend. Prints medians. Off
 * by default (it is a measurement, not a check): run with {@code -Dxenon.timings=true -Dtest=DataPlaneTimingsTest}.
 */
@EnabledIfSystemProperty(named = "xenon.timings", matches = "true")
class DataPlaneTimingsTest {
    private static final int RUNS = 7;

    @Test
    void measure() throws Exception {
        int first = TestServer.freeEndpointPorts(61);
        try (TestServer server = TestServer.start(c -> c
                .withDataPlane(c.dataPlane().withKind(DataPlaneConfig.Kind.LOCAL))
                .withEndpoints(c.endpoints().withPorts(first, first + 60)))) {
            ApiClient api = server.client();
            // Warm up: the template and spares of the default major are made in the background at start.
            String warm = createProject(api);
            api.delete("/projects/" + warm).expect(200);

            List<Long> projects = new ArrayList<>();
            List<Long> onlineBranches = new ArrayList<>();
            List<Long> offlineBranches = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int i = 0; i < RUNS; i++) {
                String[] id = new String[1];
                projects.add(time(() -> {
                    id[0] = createProject(api);
                    return 0;
                }));
                String p = id[0];
                JsonNode ep = api.get("/projects/" + p + "/endpoints").expect(200).body().at("/endpoints/0");
                String uri = api.get("/projects/" + p + "/connection_uri?database_name=neondb&role_name=neondb_owner")
                        .expect(200).body().get("uri").asText();
                try (Connection c = dev.xenon.testing.Pg.connect(uri); Statement s = c.createStatement()) {
                    s.execute("create table t as select g from generate_series(1, 10000) g");
                }
                onlineBranches.add(time(() -> {
                    api.post("/projects/" + p + "/branches", Map.of()).expect(201);
                    await(api, p);
                    return 0;
                }));
                api.post("/projects/" + p + "/endpoints/" + ep.get("id").asText() + "/suspend", Map.of()).expect(200);
                await(api, p);
                offlineBranches.add(time(() -> {
                    api.post("/projects/" + p + "/branches", Map.of()).expect(201);
                    await(api, p);
                    return 0;
                }));
                starts.add(time(() -> {
                    api.post("/projects/" + p + "/endpoints/" + ep.get("id").asText() + "/start", Map.of()).expect(200);
                    await(api, p);
                    return 0;
                }));
                api.delete("/projects/" + p).expect(200);
            }
            System.out.printf("TIMINGS (median of %d, ms): project create -> endpoint active %d; branch create -> ready"
                            + " (parent running, online backup) %d; branch create -> ready (parent suspended) %d;"
                            + " compute start -> active %d%n", RUNS, median(projects), median(onlineBranches),
                    median(offlineBranches), median(starts));
            System.out.println("TIMINGS raw: " + projects + " " + onlineBranches + " " + offlineBranches + " " + starts);
        }
    }

    private static String createProject(ApiClient api) throws InterruptedException {
        String id = api.post("/projects", Map.of("project", Map.of())).expect(201).body().at("/project/id").asText();
        await(api, id);
        return id;
    }

    private static void await(ApiClient api, String projectId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            boolean open = false;
            for (JsonNode op : api.get("/projects/" + projectId + "/operations").expect(200).body().get("operations")) {
                assertThat(op.get("status").asText()).as(op.path("error").asText()).isNotEqualTo("failed");
                open |= !op.get("status").asText().equals("finished");
            }
            if (!open) {
                return;
            }
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private interface Timed {
        long run() throws Exception;
    }

    private static long time(Timed work) throws Exception {
        long started = System.nanoTime();
        work.run();
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
