package dev.xenon.provisioner.local;

import dev.xenon.control.model.ScramVerifier;
import dev.xenon.provisioner.Provisioner.BranchPoint;
import dev.xenon.provisioner.Provisioner.DatabaseSpec;
import dev.xenon.provisioner.Provisioner.PointInTime;
import dev.xenon.provisioner.Provisioner.Primary;
import dev.xenon.provisioner.Provisioner.RoleSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.postgres.Commands;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.FreePort;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.xenon.provisioner.local.LocalProvisionerFixture.column;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.connect;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.execute;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.id;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.readOnly;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.readWrite;
import static dev.xenon.provisioner.local.LocalProvisionerFixture.timeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local data plane with real Postgres: branches, computes, TLS, replicas, crashes, deletion. */
class LocalProvisionerTest {
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

    /** A root branch with a running compute holding one table with rows 1 and 2. */
    private static TimelineSpec rootWithRows(String endpoint, int port) throws SQLException {
        TimelineSpec root = timeline(id("p"), id("br"), PgTestSupport.MAJOR);
        provisioner.createRootTimeline(root);
        provisioner.startCompute(readWrite(root, endpoint, port));
        execute(port, "create table items (id int primary key, note text)");
        execute(port, "insert into items values (1, 'one'), (2, 'two')");
        return root;
    }

    @Test
    void ownerConnectsOverTlsWithChannelBindingAndOwnsItsDatabase() throws SQLException {
        int port = FreePort.pick();
        TimelineSpec root = rootWithRows(id("ep"), port);
        try (Connection c = connect(port, LocalProvisionerFixture.DATABASE); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()");
            rs.next();
            assertThat(rs.getBoolean(1)).isTrue();
        }
        assertThat(column(port, "select count(*) from items")).containsExactly("2");
        assertThat(column(port, "show server_version").getFirst()).startsWith(PgTestSupport.MAJOR + ".");
        assertThat(column(port, "show max_connections")).containsExactly("104");
        assertThat(column(port, "select pg_get_userbyid(datdba) from pg_database where datname = current_database()"))
                .containsExactly(LocalProvisionerFixture.OWNER);
        // The proxy reaches computes over loopback without TLS; a password (SCRAM) is still required there.
        assertThatThrownBy(() -> java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port
                + "/appdb?sslmode=disable", LocalProvisionerFixture.OWNER, "npg_notthepassword"))
                .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }

    @Test
    void branchOfARunningParentHasItsCommittedRowsAndThenDiverges() throws SQLException {
        int parentPort = FreePort.pick();
        TimelineSpec parent = rootWithRows(id("ep"), parentPort);
        TimelineSpec child = timeline(parent.projectId(), id("br"), PgTestSupport.MAJOR);

        BranchPoint point = provisioner.createBranch(child, parent, PointInTime.NOW, false);

        assertThat(point.lsn()).matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(point.timestamp()).isNotNull();
        assertThat(point.logicalSize()).isGreaterThan(1_000_000L);
        int childPort = FreePort.pick();
        provisioner.startCompute(readWrite(child, id("ep"), childPort));
        assertThat(column(childPort, "select id from items order by id")).containsExactly("1", "2");
        execute(childPort, "insert into items values (3, 'child only')");
        execute(parentPort, "insert into items values (4, 'parent only')");
        assertThat(column(childPort, "select id from items order by id")).containsExactly("1", "2", "3");
        assertThat(column(parentPort, "select id from items order by id")).containsExactly("1", "2", "4");
        // Re-running the step (as after a crash) reports the same branch point and keeps the child's data.
        assertThat(provisioner.createBranch(child, parent, PointInTime.NOW, false)).isEqualTo(point);
        assertThat(column(childPort, "select count(*) from items")).containsExactly("3");
        provisioner.deleteTimeline(child.projectId(), child.branchId());
        provisioner.deleteTimeline(parent.projectId(), parent.branchId());
    }

    @Test
    void branchOfAStoppedParentCopiesItsData() throws SQLException {
        String endpoint = id("ep");
        int port = FreePort.pick();
        TimelineSpec parent = rootWithRows(endpoint, port);
        provisioner.stopCompute(endpoint);
        TimelineSpec child = timeline(parent.projectId(), id("br"), PgTestSupport.MAJOR);

        BranchPoint point = provisioner.createBranch(child, parent, PointInTime.NOW, false);

        assertThat(point.lsn()).isNotNull();
        int childPort = FreePort.pick();
        provisioner.startCompute(readWrite(child, id("ep"), childPort));
        assertThat(column(childPort, "select note from items order by id")).containsExactly("one", "two");
        provisioner.deleteTimeline(child.projectId(), child.branchId());
        provisioner.deleteTimeline(parent.projectId(), parent.branchId());
    }

    @Test
    void schemaOnlyBranchKeepsEveryObjectButNoRows() throws SQLException {
        int port = FreePort.pick();
        TimelineSpec parent = rootWithRows(id("ep"), port);
        execute(port, "create table details (item int references items, body text)");
        execute(port, "insert into details values (1, 'x')");
        execute(port, "create index details_body on details (body)");
        execute(port, "create view item_notes as select note from items");
        TimelineSpec child = timeline(parent.projectId(), id("br"), PgTestSupport.MAJOR);

        provisioner.createBranch(child, parent, PointInTime.NOW, true);

        int childPort = FreePort.pick();
        provisioner.startCompute(readWrite(child, id("ep"), childPort));
        assertThat(column(childPort, "select count(*) from items")).containsExactly("0");
        assertThat(column(childPort, "select count(*) from details")).containsExactly("0");
        assertThat(column(childPort, "select indexname from pg_indexes where tablename = 'details'"))
                .containsExactly("details_body");
        assertThat(column(childPort, "select count(*) from item_notes")).containsExactly("0");
        assertThat(column(port, "select count(*) from items")).containsExactly("2");
        provisioner.deleteTimeline(child.projectId(), child.branchId());
        provisioner.deleteTimeline(parent.projectId(), parent.branchId());
    }

    @Test
    void readOnlyComputeServesReadsFollowsItsPrimaryAndRejectsWrites() throws Exception {
        String primaryEndpoint = id("ep");
        int primaryPort = FreePort.pick();
        TimelineSpec root = rootWithRows(primaryEndpoint, primaryPort);
        int replicaPort = FreePort.pick();
        provisioner.startCompute(readOnly(root, id("ep"), replicaPort,
                new Primary(primaryEndpoint, 0.25, 0.25)));

        assertThat(column(replicaPort, "select count(*) from items")).containsExactly("2");
        assertThatThrownBy(() -> execute(replicaPort, "insert into items values (9, 'nope')"))
                .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("25006"));
        execute(primaryPort, "insert into items values (3, 'streamed')");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!column(replicaPort, "select count(*) from items").equals(List.of("3"))) {
            assertThat(System.nanoTime()).as("the replica sees the primary's new row").isLessThan(deadline);
            Thread.sleep(50);
        }
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }

    @Test
    void suspendThenStartKeepsCommittedData() throws SQLException {
        String endpoint = id("ep");
        int port = FreePort.pick();
        TimelineSpec root = rootWithRows(endpoint, port);
        provisioner.stopCompute(endpoint);
        assertThat(provisioner.computePort(endpoint)).isEmpty();
        assertThatThrownBy(() -> column(port, "select 1")).isInstanceOf(SQLException.class);
        provisioner.startCompute(readWrite(root, endpoint, port));
        assertThat(column(port, "select count(*) from items")).containsExactly("2");
        assertThat(fixture.exited).doesNotContain(endpoint);
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }

    @Test
    void whatSqlChangedBehindXenonsBackIsRepairedAfterTheNextStart() throws Exception {
        String endpoint = id("ep");
        int port = FreePort.pick();
        TimelineSpec root = rootWithRows(endpoint, port);
        execute(port, "alter role " + LocalProvisionerFixture.OWNER + " password 'changed-with-SQL-1'");
        assertThatThrownBy(() -> column(port, "select 1")).isInstanceOf(SQLException.class);
        provisioner.stopCompute(endpoint);

        // Nothing changed through the API since the last apply: the start does not wait for the repair.
        provisioner.startCompute(readWrite(root, endpoint, port));
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            try {
                column(port, "select 1");
                break;
            } catch (SQLException e) {
                Thread.sleep(50);
            }
        }
        assertThat(column(port, "select count(*) from items")).containsExactly("2");
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }

    @Test
    void killedComputeIsNoticedAndRestartsWithoutLosingCommits() throws Exception {
        String endpoint = id("ep");
        int port = FreePort.pick();
        TimelineSpec root = rootWithRows(endpoint, port);
        long pid = provisioner.computePid(endpoint).orElseThrow();

        Commands.runOrFail(List.of("kill", "-9", Long.toString(pid)), null, Duration.ofSeconds(5), "kill");

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!fixture.exited.contains(endpoint)) {
            assertThat(System.nanoTime()).as("the supervisor reports the exit").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(provisioner.computePort(endpoint)).isEmpty();
        startEventually(readWrite(root, endpoint, port));
        assertThat(column(port, "select id from items order by id")).containsExactly("1", "2");
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }

    /** Like the operations engine: a start right after a kill may find the old backends still exiting. */
    private static void startEventually(dev.xenon.provisioner.Provisioner.ComputeSpec spec) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                provisioner.startCompute(spec);
                return;
            } catch (RuntimeException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }

    @Test
    void deletingABranchStopsItsComputesAndRemovesItsFiles() throws SQLException {
        String endpoint = id("ep");
        int port = FreePort.pick();
        TimelineSpec root = rootWithRows(endpoint, port);
        String replica = id("ep");
        provisioner.startCompute(readOnly(root, replica, FreePort.pick(), new Primary(endpoint, 0.25, 0.25)));
        long primaryPid = provisioner.computePid(endpoint).orElseThrow();
        long replicaPid = provisioner.computePid(replica).orElseThrow();

        provisioner.deleteTimeline(root.projectId(), root.branchId());

        assertThat(PgTestSupport.processAlive(primaryPid)).isFalse();
        assertThat(PgTestSupport.processAlive(replicaPid)).isFalse();
        assertThat(fixture.timelineDir(root)).doesNotExist();
        assertThat(fixture.timelineDir(root).getParent()).doesNotExist();
        assertThat(fixture.exited).doesNotContain(endpoint, replica);
        // Idempotent: deleting again is fine.
        provisioner.deleteTimeline(root.projectId(), root.branchId());
        assertThat(Files.exists(fixture.dataDir.resolve("timelines"))).isTrue();
    }

    @Test
    void rolesAndDatabasesFollowTheMetadataWhetherOrNotTheComputeRuns() throws SQLException {
        String endpoint = id("ep");
        int port = FreePort.pick();
        TimelineSpec root = rootWithRows(endpoint, port);
        String readerPassword = "reader-Pa55";
        RoleSpec owner = new RoleSpec(LocalProvisionerFixture.OWNER, LocalProvisionerFixture.VERIFIER, false);
        RoleSpec reader = new RoleSpec("Reader \"quoted\"", ScramVerifier.of(readerPassword), false);
        RoleSpec nobody = new RoleSpec("no_login", null, true);

        // While the compute runs: add roles, rename the database and give it to another role, add a database.
        provisioner.applyConfig(LocalProvisionerFixture.with(root, List.of(owner, reader, nobody), List.of(
                new DatabaseSpec(1, "renamed db", reader.name()), new DatabaseSpec(2, "extra", owner.name()))));

        assertThat(LocalProvisionerFixture.column(port, "renamed db", "select count(*) from items")).containsExactly("2");
        try (Connection c = connect(port, "renamed db", reader.name(), readerPassword); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select current_user, pg_get_userbyid(datdba) from pg_database "
                    + "where datname = current_database()");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo(reader.name());
            assertThat(rs.getString(2)).isEqualTo(reader.name());
        }
        assertThat(LocalProvisionerFixture.column(port, "extra", "select rolname || ':' || rolcanlogin from pg_roles "
                + "where rolname in ('no_login', 'app_owner') order by 1"))
                .containsExactly("app_owner:true", "no_login:false");

        // While it does not: drop a role and a database, reset a password.
        provisioner.stopCompute(endpoint);
        String newPassword = "new-Pa55word";
        RoleSpec ownerReset = new RoleSpec(owner.name(), ScramVerifier.of(newPassword), false);
        provisioner.applyConfig(LocalProvisionerFixture.with(root, List.of(ownerReset, nobody),
                List.of(new DatabaseSpec(1, "renamed db", owner.name()))));
        provisioner.startCompute(readWrite(LocalProvisionerFixture.with(root, List.of(ownerReset, nobody),
                List.of(new DatabaseSpec(1, "renamed db", owner.name()))), endpoint, port));

        try (Connection c = connect(port, "renamed db", owner.name(), newPassword); Statement s = c.createStatement()) {
            var rs = s.executeQuery("select string_agg(datname, ',' order by datname) from pg_database "
                    + "where not datistemplate");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("postgres,renamed db");
            rs = s.executeQuery("select count(*) from pg_roles where rolname = 'Reader \"quoted\"'");
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThatThrownBy(() -> connect(port, "renamed db")).isInstanceOf(SQLException.class);
        provisioner.deleteTimeline(root.projectId(), root.branchId());
    }

    @Test
    void aNewRunStopsComputesAnEarlierRunLeftBehindAndThenStartsThemCleanly() throws SQLException {
        String endpoint = id("ep");
        int port = FreePort.pick();
        // Its own data directory: two provisioners on one directory only ever happen in this test.
        LocalProvisionerFixture earlier = new LocalProvisionerFixture(0);
        TimelineSpec root = timeline(id("p"), id("br"), PgTestSupport.MAJOR);
        earlier.provisioner.createRootTimeline(root);
        earlier.provisioner.startCompute(readWrite(root, endpoint, port));
        execute(port, "create table items as select 1 as id union all select 2");
        long pid = earlier.provisioner.computePid(endpoint).orElseThrow();

        // As if the JVM had been killed: a second provisioner on the same data finds the postmaster running.
        LocalProvisioner next = new LocalProvisioner(new LocalProvisioner.Config(earlier.dataDir,
                new Distributions(PgTestSupport.distDir(), PgTestSupport.cacheDir()), PgTestSupport.user(), 1.0 / 16, 0));
        try {
            // The old postmaster is this JVM's child: it may linger as a zombie for a moment until reaped.
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (PgTestSupport.processAlive(pid) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(PgTestSupport.processAlive(pid)).isFalse();
            next.startCompute(readWrite(root, endpoint, port));
            assertThat(column(port, "select count(*) from items")).containsExactly("2");
            next.deleteTimeline(root.projectId(), root.branchId());
        } finally {
            next.close();
            earlier.close();
        }
    }
}
