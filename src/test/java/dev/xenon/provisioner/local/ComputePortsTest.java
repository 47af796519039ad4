package dev.xenon.provisioner.local;

import dev.xenon.provisioner.Provisioner.Primary;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static dev.xenon.provisioner.local.LocalProvisionerFixture.column;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.execute;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.id;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.readOnly;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.readWrite;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.timeline;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Computes listen where the provisioner finds room (port 0 in the spec, as the server passes), and a replica keeps
 * following its writer although the writer's port changes with every start.
 */
class ComputePortsTest {
    @AutoClose
    private static final LocalProvisionerFixture FIXTURE = new LocalProvisionerFixture();
    private static final LocalProvisioner PROVISIONER = FIXTURE.provisioner;

    /** A root branch whose writer, started on port 0, made an empty table. */
    private static TimelineSpec rootWithTable(String writer) throws SQLException {
        TimelineSpec root = timeline(id("p"), id("br"), PgTestSupport.MAJOR);
        PROVISIONER.createRootTimeline(root);
        PROVISIONER.startCompute(readWrite(root, writer, 0));
        execute(PROVISIONER.computePort(writer).orElseThrow(), "create table items (id int primary key)");
        return root;
    }

    @Test
    void replicaFollowsItsWriterAcrossRestartsOnNewPorts() throws Exception {
        String writer = id("ep");
        TimelineSpec root = rootWithTable(writer);
        int first = PROVISIONER.computePort(writer).orElseThrow();
        execute(first, "insert into items values (1)");
        String replica = id("ep");
        PROVISIONER.startCompute(readOnly(root, replica, 0, new Primary(writer, 0.25, 0.25)));
        int replicaPort = PROVISIONER.computePort(replica).orElseThrow();
        assertThat(replicaPort).isNotEqualTo(first);

        PROVISIONER.stopCompute(writer);
        try (ServerSocket held = new ServerSocket(first, 1, InetAddress.getLoopbackAddress())) {
            PROVISIONER.startCompute(readWrite(root, writer, 0));
            int second = PROVISIONER.computePort(writer).orElseThrow();
            assertThat(second).as("the old port is held by someone else now").isNotEqualTo(first);
            execute(second, "insert into items values (2)");
            awaitRows(replicaPort, "2");
        }
        PROVISIONER.deleteTimeline(root.projectId(), root.branchId());
    }

    @Test
    void replicaStartedWithoutAWriterFollowsTheWriterOnceItStarts() throws Exception {
        String writer = id("ep");
        TimelineSpec root = rootWithTable(writer);
        PROVISIONER.stopCompute(writer);

        String replica = id("ep");
        PROVISIONER.startCompute(readOnly(root, replica, 0, new Primary(writer, 0.25, 0.25)));
        int replicaPort = PROVISIONER.computePort(replica).orElseThrow();
        assertThat(column(replicaPort, "select count(*) from items")).containsExactly("0");

        PROVISIONER.startCompute(readWrite(root, writer, 0));
        execute(PROVISIONER.computePort(writer).orElseThrow(), "insert into items values (1)");
        awaitRows(replicaPort, "1");
        PROVISIONER.deleteTimeline(root.projectId(), root.branchId());
    }

    private static void awaitRows(int port, String count) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!column(port, "select count(*) from items").equals(List.of(count))) {
            assertThat(System.nanoTime()).as("the replica sees the writer's rows").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
