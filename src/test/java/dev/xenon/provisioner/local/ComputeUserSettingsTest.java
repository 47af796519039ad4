package dev.xenon.provisioner.local;

import dev.xenon.control.databases.DatabaseService;
import dev.xenon.control.roles.RoleService;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.compute.Reconciler;
import dev.xenon.provisioner.local.postgres.FreePort;
import dev.xenon.provisioner.local.postgres.Superuser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.xenon.provisioner.local.LocalProvisionerFixture.column;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.id;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.timeline;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real compute runs with the allow-listed pg_settings a user gave, and without what the allow-list refuses even
 * when such a setting is in the metadata already (written before the allow-list existed).
 */
class ComputeUserSettingsTest {
    @Test
    void allowedSettingsApplyAndRefusedOnesNeverReachTheCompute() throws Exception {
        try (LocalProvisionerFixture fixture = new LocalProvisionerFixture()) {
            startWithUserSettings(fixture);
        }
    }

    private static void startWithUserSettings(LocalProvisionerFixture fixture) throws Exception {
        TimelineSpec root = timeline(id("p"), id("br"), PgTestSupport.MAJOR);
        fixture.provisioner.createRootTimeline(root);
        Path proof = Files.createTempFile("xenon-proof-", ".txt");
        Files.delete(proof);
        Map<String, String> pg = new LinkedHashMap<>();
        pg.put("work_mem", "8MB");
        pg.put("statement_timeout", "30s");
        pg.put("TimeZone", "Europe/Paris");
        pg.put("search_path", "\"$user\", public");
        pg.put("default_text_search_config", "pg_catalog.french");
        pg.put("archive_cleanup_command", "touch " + proof);
        pg.put("log_directory", "/tmp");
        pg.put("jit", "maybe");
        int port = FreePort.pick();
        ComputeSpec spec = new ComputeSpec(root.projectId(), root.branchId(), id("ep"), root.pgVersion(), false,
                0.25, 0.25, false, pg, port, null, root);
        fixture.provisioner.startCompute(spec);
        try {
            assertThat(column(port, "show work_mem")).containsExactly("8MB");
            assertThat(column(port, "show statement_timeout")).containsExactly("30s");
            // TimeZone is not checked here: the JDBC driver sets its own when it connects.
            assertThat(column(port, "show default_text_search_config")).containsExactly("pg_catalog.french");
            assertThat(column(port, "show search_path")).containsExactly("\"$user\", public");
            assertThat(column(port, "show archive_cleanup_command")).containsExactly("");
            assertThat(column(port, "show jit")).containsExactly("on");
            assertThat(column(port, "select setting from pg_settings where name = 'log_directory'"))
                    .containsExactly("log");
            assertThat(proof).doesNotExist();
        } finally {
            fixture.provisioner.deleteTimeline(root.projectId(), root.branchId());
        }
    }

    /** The control plane's reserved names cover every name the data plane keeps for itself. */
    @Test
    void namesTheDataPlaneKeepsAreReservedInTheControlPlane() {
        assertThat(RoleService.XENON_RESERVED).contains(Superuser.NAME, Reconciler.NEON_SUPERUSER);
        assertThat(DatabaseService.SYSTEM_DATABASES).contains(Reconciler.SPARE_DATABASE);
    }
}
