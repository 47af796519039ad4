package dev.xenon.provisioner.local;

import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.HistoryRange;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.history.BaseCopy;
import dev.xenon.provisioner.local.postgres.ControlFile;
import dev.xenon.provisioner.local.postgres.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Instant;

import static dev.xenon.provisioner.local.LocalProvisionerFixture.column;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.execute;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.id;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.readWrite;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.timeline;
import static org.assertj.core.api.Assertions.assertThat;

/** Branch history in the data plane: steps that run twice (after a crash) converge, and trimming keeps what serves. */
class LocalProvisionerHistoryTest {
    private static LocalProvisionerFixture fixture;
    private static LocalProvisioner provisioner;

    @BeforeAll
    static void start() {
        fixture = new LocalProvisionerFixture();
        provisioner = fixture.provisioner;
    }

    @AfterAll
    static void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void pointInTimeBranchAndRestoreRunTwiceConverge() throws SQLException {
        TimelineSpec root = timeline(id("project"), id("br"), PgTestSupport.MAJOR);
        provisioner.createRootTimeline(root);
        int port = FreePort.pick();
        provisioner.startCompute(readWrite(root, id("ep"), port));
        execute(port, "create table items (id int)");
        execute(port, "insert into items values (1)");
        String lsn = column(port, "select pg_current_wal_lsn()::text").getFirst();
        execute(port, "insert into items values (2)");
        HistoryRange range = provisioner.history(root.projectId(), root.branchId()).orElseThrow();
        assertThat(range.earliestTime()).isBefore(Instant.now());
        assertThat(ControlFile.parse(range.currentLsn())).isGreaterThan(ControlFile.parse(lsn));

        TimelineSpec child = timeline(root.projectId(), id("br"), PgTestSupport.MAJOR);
        BranchPoint first = provisioner.createBranch(child, root, new PointInTime(lsn, null), false);
        BranchPoint again = provisioner.createBranch(child, root, new PointInTime(lsn, null), false);
        assertThat(again).isEqualTo(first);
        assertThat(first.lsn()).isEqualTo(lsn);
        int childPort = FreePort.pick();
        String childEndpoint = id("ep");
        provisioner.startCompute(readWrite(child, childEndpoint, childPort));
        assertThat(column(childPort, "select id from items order by id")).containsExactly("1");

        // Restore the child to the root's head, keeping its state as another branch; then the same step again.
        String backup = id("br");
        BranchPoint restored = provisioner.restoreBranch(child, root, PointInTime.NOW, backup, "restore-1");
        assertThat(provisioner.restoreBranch(child, root, PointInTime.NOW, backup, "restore-1")).isEqualTo(restored);
        assertThat(provisioner.computePort(childEndpoint)).as("stopped for the swap").isEmpty();
        provisioner.startCompute(readWrite(child, childEndpoint, childPort));
        assertThat(column(childPort, "select id from items order by id")).containsExactly("1", "2");
        TimelineSpec kept = timeline(root.projectId(), backup, PgTestSupport.MAJOR);
        assertThat(Files.isDirectory(fixture.timelineDir(kept).resolve("history/wal"))).isTrue();
        int keptPort = FreePort.pick();
        provisioner.startCompute(readWrite(kept, id("ep"), keptPort));
        assertThat(column(keptPort, "select id from items order by id")).containsExactly("1");

        // Trimming to now keeps the newest base copy (it serves "now") and the WAL after its start.
        provisioner.maintainHistory(root.projectId(), root.branchId(), PgTestSupport.MAJOR, Instant.now());
        assertThat(BaseCopy.list(fixture.timelineDir(root))).hasSize(1);
        provisioner.deleteTimeline(root.projectId(), kept.branchId());
        provisioner.deleteTimeline(root.projectId(), child.branchId());
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }
}
