package dev.xenon.provisioner.local.compute;

import dev.xenon.pgsettings.PgSettingsPolicy;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner.Primary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ComputeSettingsTest {
    private static final ComputeFiles FILES = new ComputeFiles(Path.of("/x/pg_hba.conf"), Path.of("/x/server.crt"),
            Path.of("/x/server.key"));

    private static ComputeSpec spec(double min, double max, boolean readOnly, Primary primary, boolean logical,
                                    Map<String, String> pgSettings) {
        return new ComputeSpec("p", "br", "ep", 17, readOnly, min, max, logical, pgSettings, 55432, primary, null);
    }

    /** Neon's published formula (docs: compatibility); at 9 CU it gives 3776 where Neon's table says 4000. */
    @ParameterizedTest
    @CsvSource({"0.25,0.25,104", "0.5,0.5,209", "1,1,419", "2,2,839", "3,3,1258", "4,4,1678", "8,8,3357",
            "9,9,3776", "10,10,4000", "56,56,4000", "0.25,4,839", "2,8,3357"})
    void maxConnectionsFollowsNeonsFormula(double min, double max, int expected) {
        assertThat(ComputeSettings.maxConnections(min, max)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0.25,65536", "1,68759", "2,137518", "8,550072"})
    void maintenanceWorkMemFollowsNeonsFormula(double minCu, long expectedKb) {
        assertThat(ComputeSettings.maintenanceWorkMemKb(minCu)).isEqualTo(expectedKb);
    }

    @Test
    void memoryIsScaledDownButConnectionCountsAreNot() {
        Map<String, String> settings = ComputeSettings.of(spec(0.25, 0.25, false, null, false, Map.of()), 1.0 / 16, FILES);
        assertThat(settings).containsEntry("max_connections", "104")
                .containsEntry("max_worker_processes", "12")
                .containsEntry("shared_buffers", "8192kB") // Neon's 128 MB / 16
                .containsEntry("maintenance_work_mem", "4096kB") // 64 MB / 16
                .containsEntry("wal_level", "replica")
                .containsEntry("ssl", "on")
                .containsEntry("password_encryption", "scram-sha-256")
                .containsEntry("hba_file", "/x/pg_hba.conf");
    }

    @Test
    void logicalReplicationRaisesTheWalLevel() {
        assertThat(ComputeSettings.of(spec(1, 1, false, null, true, Map.of()), 1, FILES))
                .containsEntry("wal_level", "logical");
    }

    @Test
    void aReplicaIsNeverSizedBelowItsPrimaryForHotStandby() {
        Map<String, String> settings = ComputeSettings.of(
                spec(0.25, 0.25, true, new Primary("ep-rw", 2, 2), false, Map.of()), 1.0 / 16, FILES);
        assertThat(settings).containsEntry("max_connections", "839").containsEntry("max_worker_processes", "16");
    }

    @Test
    void onlyAllowListedUserSettingsWithValidValuesApplyAndXenonsOwnAlwaysWin() {
        Map<String, String> user = new java.util.LinkedHashMap<>();
        user.put("work_mem", "8MB");
        user.put("maintenance_work_mem", "16MB");
        user.put("port", "1");
        user.put("ssl", "off");
        user.put("HBA_FILE", "/etc/passwd");
        user.put("archive_cleanup_command", "id > proof");
        user.put("statement_timeout", "forever");
        Map<String, String> settings = ComputeSettings.of(spec(0.25, 0.25, false, null, false, user), 1.0 / 16, FILES);
        assertThat(settings).containsEntry("work_mem", "8MB").containsEntry("maintenance_work_mem", "16MB")
                .containsEntry("ssl", "on").containsEntry("hba_file", "/x/pg_hba.conf")
                .doesNotContainKeys("port", "HBA_FILE", "archive_cleanup_command", "statement_timeout");
    }

    /** So the API can never accept a setting that would fight Xenon's own. */
    @Test
    void everySettingXenonOwnsIsRefusedToUsersOnEveryMajor() {
        PgSettingsPolicy policy = PgSettingsPolicy.bundled();
        Map<String, String> owned = ComputeSettings.owned(spec(1, 1, false, null, false, Map.of()), 1, FILES);
        for (int major : PgSettingsPolicy.MAJORS) {
            owned.forEach((name, value) -> assertThat(policy.problem(major, name, value))
                    .as("%s on Postgres %d", name, major).get().asString().contains("is refused"));
        }
    }
}
