package dev.xenon.provisioner.local;

import dev.xenon.control.model.ScramVerifier;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner.DatabaseSpec;
import dev.xenon.provisioner.Provisioner.Primary;
import dev.xenon.provisioner.Provisioner.RoleSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.local.postgres.Distributions;
import dev.xenon.provisioner.local.postgres.Trees;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/** One local provisioner on a temporary data directory, shared by a test class, and helpers to drive it. */
final class LocalProvisionerFixture implements AutoCloseable {
    static final String OWNER = "app_owner";
    static final String PASSWORD = "s3cret-Pa55word";
    static final String VERIFIER = ScramVerifier.of(PASSWORD);
    static final String DATABASE = "appdb";

    private static final AtomicInteger IDS = new AtomicInteger();

    final Path dataDir;
    final LocalProvisioner provisioner;
    final List<String> exited = new java.util.concurrent.CopyOnWriteArrayList<>();

    LocalProvisionerFixture() {
        this(1);
    }

    LocalProvisionerFixture(int spares) {
        try {
            dataDir = PgTestSupport.traversable(Files.createTempDirectory(
                    Path.of(System.getProperty("java.io.tmpdir")), "xenon-provisioner-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        provisioner = new LocalProvisioner(new LocalProvisioner.Config(dataDir,
                new Distributions(PgTestSupport.distDir(), PgTestSupport.cacheDir()), PgTestSupport.user(), 1.0 / 16, spares));
        provisioner.onComputeExit(exited::add);
    }

    static String id(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
    }

    static TimelineSpec timeline(String project, String branch, int major) {
        return new TimelineSpec(project, branch, major, List.of(new RoleSpec(OWNER, VERIFIER, false)),
                List.of(new DatabaseSpec(1, DATABASE, OWNER)));
    }

    static TimelineSpec with(TimelineSpec spec, List<RoleSpec> roles, List<DatabaseSpec> databases) {
        return new TimelineSpec(spec.projectId(), spec.branchId(), spec.pgVersion(), roles, databases);
    }

    static ComputeSpec readWrite(TimelineSpec timeline, String endpoint, int port) {
        return new ComputeSpec(timeline.projectId(), timeline.branchId(), endpoint, timeline.pgVersion(), false,
                0.25, 0.25, false, Map.of(), port, null, timeline);
    }

    static ComputeSpec readOnly(TimelineSpec timeline, String endpoint, int port, Primary primary) {
        return new ComputeSpec(timeline.projectId(), timeline.branchId(), endpoint, timeline.pgVersion(), true,
                0.25, 0.25, false, Map.of(), port, primary, timeline);
    }

    /** A connection as the owner role, the way a user's client makes it: TLS required, SCRAM channel binding. */
    static Connection connect(int port, String database) throws SQLException {
        return connect(port, database, OWNER, PASSWORD);
    }

    static Connection connect(int port, String database, String user, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("sslmode", "require");
        props.setProperty("channelBinding", "require");
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    static void execute(int port, String sql) throws SQLException {
        try (Connection c = connect(port, DATABASE); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    static List<String> column(int port, String database, String sql) throws SQLException {
        try (Connection c = connect(port, database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return values;
        }
    }

    static List<String> column(int port, String sql) throws SQLException {
        return column(port, DATABASE, sql);
    }

    Path timelineDir(TimelineSpec spec) {
        return provisioner.layout().timeline(spec.projectId(), spec.branchId());
    }

    @Override
    public void close() {
        provisioner.close();
        Trees.delete(dataDir);
    }
}
