package dev.xenon.store;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.provisioner.local.postgres.Distribution;
import dev.xenon.provisioner.local.postgres.OsUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddedMetaStoreTest {
    @TempDir
    Path temp;

    private final List<EmbeddedMetaStore> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(EmbeddedMetaStore::close);
    }

    @Test
    void keepsDataAcrossRestartsAndLeavesNoProcessBehind() throws Exception {
        Distribution dist = PgTestSupport.dist();
        Optional<OsUser> user = PgTestSupport.user();
        Path metaDir = PgTestSupport.traversable(temp).resolve("meta");

        long t0 = System.nanoTime();
        EmbeddedMetaStore first = open(metaDir, dist, user);
        long firstStartMillis = millisSince(t0);
        assertThat(first.user()).isEqualTo("xenon");
        assertThat(first.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + first.port() + "/xenon");
        try (Connection c = connect(first);
             Statement s = c.createStatement()) {
            s.execute("create table survivor (name text primary key)");
            s.execute("insert into survivor values ('still here')");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(first.jdbcUrl(), "xenon", "wrong").close())
                .isInstanceOf(SQLException.class);

        Path passwordFile = metaDir.resolve("password");
        assertThat(Files.readString(passwordFile).strip()).isEqualTo(first.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(Files.getAttribute(passwordFile, "unix:uid")).isEqualTo(OsUser.currentUid());

        long firstPid = PgTestSupport.postmasterPid(metaDir.resolve("data")).orElseThrow();
        assertThat(firstPid).isEqualTo(first.pid());
        long t1 = System.nanoTime();
        first.close();
        long closeMillis = millisSince(t1);
        assertThat(PgTestSupport.processAlive(firstPid)).isFalse();
        assertThat(metaDir.resolve("data/postmaster.pid")).doesNotExist();

        long t2 = System.nanoTime();
        EmbeddedMetaStore second = open(metaDir, dist, user);
        long restartMillis = millisSince(t2);
        System.out.printf("timing: metastore first start (initdb + start + create database) %d ms, close %d ms,"
                + " restart %d ms%n", firstStartMillis, closeMillis, restartMillis);

        assertThat(second.password()).isEqualTo(first.password());
        try (Connection c = connect(second);
             ResultSet rs = c.createStatement().executeQuery("select name from survivor")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
        long secondPid = second.pid();
        second.close();
        assertThat(PgTestSupport.processAlive(secondPid)).isFalse();
        assertThat(metaDir.resolve("data/postmaster.pid")).doesNotExist();
        assertThat(metaDir.resolve("data.initdb")).doesNotExist();
    }

    @Test
    void aKilledPostmasterIsRestartedOnTheSamePortWithItsData() throws Exception {
        EmbeddedMetaStore store = open(PgTestSupport.traversable(temp).resolve("meta"), PgTestSupport.dist(),
                PgTestSupport.user());
        Db db = new Db(store.jdbcUrl(), store.user(), store.password(), StoreConfig.DEFAULT, store::up);
        try (Connection c = connect(store); Statement s = c.createStatement()) {
            s.execute("create table survivor (name text primary key)");
            s.execute("insert into survivor values ('committed before the kill')");
        }
        int port = store.port();
        long killed = store.pid();
        try {
            long started = System.nanoTime();
            ProcessHandle.of(killed).orElseThrow().destroyForcibly();
            long deadline = started + 30_000_000_000L;
            while (store.restarts() == 0 && System.nanoTime() < deadline) {
                // While down, the store fails fast: no caller waits on a connection that cannot come.
                long asked = System.nanoTime();
                try {
                    db.read(h -> h.createQuery("select 1").mapTo(Integer.class).one());
                } catch (StoreUnavailable e) {
                    assertThat(millisSince(asked)).isLessThan(2_500);
                }
                Thread.sleep(5);
            }
            long restartMillis = millisSince(started);
            System.out.printf("timing: metastore killed to restarted %d ms%n", restartMillis);
            assertThat(store.restarts()).isEqualTo(1);
            assertThat(store.up()).isTrue();
            assertThat(store.port()).isEqualTo(port);
            assertThat(store.pid()).isNotEqualTo(killed);
            String survivor = db.read(h -> h.createQuery("select name from survivor").mapTo(String.class).one());
            assertThat(survivor).isEqualTo("committed before the kill");
        } finally {
            db.close();
        }
        long pid = store.pid();
        store.close();
        Thread.sleep(500);
        assertThat(PgTestSupport.processAlive(pid)).isFalse();
        assertThat(store.restarts()).as("a stop that was asked for is not a crash").isEqualTo(1);
    }

    @Test
    void closeTwiceIsHarmless() {
        EmbeddedMetaStore store = open(PgTestSupport.traversable(temp).resolve("meta"), PgTestSupport.dist(),
                PgTestSupport.user());
        store.close();
        store.close();
    }

    private EmbeddedMetaStore open(Path metaDir, Distribution dist, Optional<OsUser> user) {
        EmbeddedMetaStore store = EmbeddedMetaStore.start(metaDir, dist, user);
        opened.add(store);
        return store;
    }

    private static Connection connect(EmbeddedMetaStore store) throws SQLException {
        return DriverManager.getConnection(store.jdbcUrl(), store.user(), store.password());
    }

    private static long millisSince(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
