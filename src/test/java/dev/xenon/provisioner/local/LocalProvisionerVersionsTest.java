package dev.xenon.provisioner.local;

import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.postgres.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.sql.SQLException;

import static dev.xenon.provisioner.local.LocalProvisionerFixture.column;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.execute;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.id;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.readWrite;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.timeline;
import static org.assertj.core.api.Assertions.assertThat;

/** Every supported major runs for real, including the online backup (whose functions Postgres 15 renamed). */
class LocalProvisionerVersionsTest {
    private static LocalProvisionerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new LocalProvisionerFixture();
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void projectOfEachMajorRunsThatMajorAndBranchesOnline(int major) throws SQLException {
        LocalProvisioner provisioner = fixture.provisioner;
        TimelineSpec root = timeline(id("p"), id("br"), major);
        provisioner.createRootTimeline(root);
        int port = FreePort.pick();
        provisioner.startCompute(readWrite(root, id("ep"), port));

        assertThat(column(port, "show server_version").getFirst()).startsWith(major + ".");
        execute(port, "create table t as select 42 as answer");
        TimelineSpec child = timeline(root.projectId(), id("br"), major);
        provisioner.createBranch(child, root, PointInTime.NOW, false);
        int childPort = FreePort.pick();
        provisioner.startCompute(readWrite(child, id("ep"), childPort));
        assertThat(column(childPort, "select answer from t")).containsExactly("42");
        assertThat(column(childPort, "show server_version").getFirst()).startsWith(major + ".");

        provisioner.deleteTimeline(child.projectId(), child.branchId());
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }
}
