package dev.xenon.store;

import dev.xenon.provisioner.local.PgTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a transaction asks to run after it commits runs then, with the commit visible, and never otherwise. */
class DbAfterCommitTest {
    @TempDir
    static Path dir;
    private static EmbeddedMetaStore meta;
    private static Db db;

    @BeforeAll
    static void start() {
        meta = EmbeddedMetaStore.start(PgTestSupport.traversable(dir).resolve("meta"), PgTestSupport.dist(),
                PgTestSupport.user());
        db = new Db(meta.jdbcUrl(), meta.user(), meta.password(), StoreConfig.DEFAULT, () -> true);
        db.run(h -> h.execute("create table notes (id text primary key)"));
    }

    @AfterAll
    static void stop() {
        db.close();
        meta.close();
    }

    private static boolean committed(String id) {
        return db.read(h -> h.createQuery("select count(*) from notes where id = :id").bind("id", id)
                .mapTo(Integer.class).one()) == 1;
    }

    @Test
    void callbacksRunOnceTheTransactionCommitsAndSeeWhatItWrote() {
        String id = UUID.randomUUID().toString();
        List<String> events = new CopyOnWriteArrayList<>();
        db.run(h -> {
            h.execute("insert into notes values (?)", id);
            Db.afterCommit(h, () -> events.add("callback saw the row: " + committed(id)));
            events.add("transaction ends");
        });
        events.add("write returned");
        assertThat(events).containsExactly("transaction ends", "callback saw the row: true", "write returned");
    }

    @Test
    void callbacksOfATransactionRolledBackNeverRun() {
        String id = UUID.randomUUID().toString();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> db.run(h -> {
            h.execute("insert into notes values (?)", id);
            Db.afterCommit(h, runs::incrementAndGet);
            throw new IllegalStateException("the rule says no");
        })).hasMessage("the rule says no");
        assertThat(committed(id)).isFalse();
        // The next transaction on the same pooled connection does not inherit them either.
        for (int i = 0; i < 10; i++) {
            db.run(h -> h.execute("select 1"));
        }
        assertThat(runs).hasValue(0);
    }

    @Test
    void aSignalRaisedSeveralTimesInOneTransactionIsHeardOnce() {
        CommitSignal signal = new CommitSignal();
        AtomicInteger heard = new AtomicInteger();
        signal.subscribe(heard::incrementAndGet);
        db.run(h -> {
            signal.raise(h);
            signal.raise(h);
        });
        assertThat(heard).hasValue(1);
        db.run(signal::raise);
        assertThat(heard).hasValue(2);
    }

    @Test
    void aFailingCallbackLeavesTheCommitAndTheOtherCallbacksAlone() {
        String id = UUID.randomUUID().toString();
        AtomicInteger runs = new AtomicInteger();
        String result = db.write(h -> {
            h.execute("insert into notes values (?)", id);
            Db.afterCommit(h, () -> {
                throw new IllegalStateException("listener broke");
            });
            Db.afterCommit(h, runs::incrementAndGet);
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(committed(id)).isTrue();
        assertThat(runs).hasValue(1);
    }

    @Test
    void aReadHasNoCommitToWaitFor() {
        assertThatThrownBy(() -> db.read(h -> {
            Db.afterCommit(h, () -> { });
            return null;
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("transaction");
    }

    @Test
    void aWriteInsideAWriteIsRefusedAndTheOuterOneRollsBack() {
        String outer = "outer-" + System.nanoTime();
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> db.run(h -> {
            h.execute("insert into notes values (?)", outer);
            Db.afterCommit(h, runs::incrementAndGet);
            db.run(inner -> inner.execute("insert into notes values (?)", outer + "-inner"));
        })).isInstanceOf(IllegalStateException.class).hasMessageContaining("write inside a write");
        assertThat(committed(outer)).isFalse();
        assertThat(committed(outer + "-inner")).isFalse();
        assertThat(runs).hasValue(0);
        String after = "after-" + System.nanoTime();
        db.run(h -> h.execute("insert into notes values (?)", after));
        assertThat(committed(after)).isTrue();
    }
}
