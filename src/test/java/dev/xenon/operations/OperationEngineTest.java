package dev.xenon.operations;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.store.CommitSignal;
import dev.xenon.store.Db;
import dev.xenon.store.EmbeddedMetaStore;
import dev.xenon.store.StoreConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine against a real metadata store: ordering, retries, final failure, resuming after a stop. */
class OperationEngineTest {
    private static final RetryPolicy FAST =
            new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(60));

    @TempDir
    static Path dir;
    private static EmbeddedMetaStore meta;
    private static Db db;
    private final OperationStore store = new OperationStore(new CommitSignal());

    @BeforeAll
    static void start() {
        meta = EmbeddedMetaStore.start(PgTestSupport.traversable(dir).resolve("meta"), PgTestSupport.dist(),
                PgTestSupport.user());
        db = new Db(meta.jdbcUrl(), meta.user(), meta.password(), StoreConfig.DEFAULT, () -> true);
    }

    @AfterAll
    static void stop() {
        db.close();
        meta.close();
    }

    private static EngineConfig config(int workers, RetryPolicy retry) {
        return EngineConfig.DEFAULT.withWorkers(workers).withRetry(retry);
    }

    private Operation enqueue(String project, String branch, OperationAction action, List<String> resources) {
        return db.write(h -> store.enqueue(h, project, branch, null, action, resources, Instant.now()));
    }

    private Operation reload(Operation op) {
        return db.read(h -> store.find(h, op.projectId(), op.id())).orElseThrow();
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (!condition.getAsBoolean()) {
            assertThat(Instant.now()).isBefore(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void operationsOnOneResourceRunInOrderWhileOthersRunInParallel() throws InterruptedException {
        String project = "order-" + UUID.randomUUID();
        List<OperationAction> ran = new CopyOnWriteArrayList<>();
        StepRunner runner = op -> {
            ran.add(op.action());
            sleep(30);
        };
        Operation first = enqueue(project, "br-a", OperationAction.CREATE_BRANCH, List.of("br-a"));
        Operation second = enqueue(project, "br-a", OperationAction.START_COMPUTE, List.of("br-a", "ep-a"));
        Operation third = enqueue(project, "br-a", OperationAction.SUSPEND_COMPUTE, List.of("br-a", "ep-a"));
        try (OperationEngine engine = new OperationEngine(db, store, runner, config(4, FAST))) {
            engine.start(false);
            engine.wake();
            await(() -> reload(third).status() == OperationStatus.FINISHED);
        }
        assertThat(ran).containsExactly(OperationAction.CREATE_BRANCH, OperationAction.START_COMPUTE,
                OperationAction.SUSPEND_COMPUTE);
        assertThat(reload(first).totalDurationMs()).isGreaterThanOrEqualTo(25);
        assertThat(reload(second).status()).isEqualTo(OperationStatus.FINISHED);
    }

    @Test
    void aFailingStepIsRetriedWithBackoffAndThenSucceeds() throws InterruptedException {
        String project = "retry-" + UUID.randomUUID();
        AtomicInteger attempts = new AtomicInteger();
        StepRunner flaky = op -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("disk on fire (attempt " + attempts.get() + ")");
            }
        };
        Operation op = enqueue(project, "br-r", OperationAction.APPLY_CONFIG, List.of("br-r"));
        try (OperationEngine engine = new OperationEngine(db, store, flaky, config(1, FAST))) {
            engine.start(false);
            await(() -> reload(op).status() == OperationStatus.FINISHED);
        }
        Operation done = reload(op);
        assertThat(done.failuresCount()).isEqualTo(2);
        assertThat(done.error()).isNull();
        assertThat(attempts.get()).isEqualTo(3);
    }

    @Test
    void aStepThatKeepsFailingEndsFailedWithItsError() throws InterruptedException {
        String project = "fail-" + UUID.randomUUID();
        Operation op = enqueue(project, "br-f", OperationAction.APPLY_CONFIG, List.of("br-f"));
        StepRunner broken = o -> {
            throw new IllegalStateException("while applying config: role 'x' is broken");
        };
        try (OperationEngine engine = new OperationEngine(db, store, broken, config(1, FAST))) {
            engine.start(false);
            await(() -> reload(op).status() == OperationStatus.FAILED);
        }
        Operation failed = reload(op);
        assertThat(failed.failuresCount()).isEqualTo(3);
        assertThat(failed.error()).contains("role 'x' is broken");
    }

    @Test
    void aPermanentFailureFailsAtOnceAndTheNextOperationOnTheBranchRuns() throws InterruptedException {
        String project = "permanent-" + UUID.randomUUID();
        // The real thing: Postgres refusing a role name (SQLSTATE 42939), wrapped as the provisioner wraps it.
        StepRunner runner = op -> {
            if (op.action() == OperationAction.APPLY_CONFIG) {
                try {
                    db.read(h -> h.execute("create role \"public\""));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("while applying roles and databases to branch br-p: "
                            + e.getCause().getMessage(), e);
                }
            }
        };
        Operation refused = enqueue(project, "br-p", OperationAction.APPLY_CONFIG, List.of("br-p"));
        Operation next = enqueue(project, "br-p", OperationAction.START_COMPUTE, List.of("br-p", "ep-p"));
        // With a transient failure, the next operation would wait at least the first backoff (a minute here).
        RetryPolicy slow = new RetryPolicy(Duration.ofMinutes(1),
                Duration.ofMinutes(1), Duration.ofMinutes(10));
        long started = System.nanoTime();
        try (OperationEngine engine = new OperationEngine(db, store, runner, config(2, slow))) {
            engine.start(false);
            engine.wake();
            await(() -> reload(next).status() == OperationStatus.FINISHED);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("timing: permanent failure to next operation finished %d ms%n", millis);
        assertThat(millis).isLessThan(5_000);
        Operation failed = reload(refused);
        assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(failed.failuresCount()).isEqualTo(1);
        assertThat(failed.error()).contains("role name \"public\" is reserved");
    }

    @Test
    void aTransientFailureIsRetriedOnlyWithinTheBudget() throws InterruptedException {
        String project = "budget-" + UUID.randomUUID();
        AtomicInteger attempts = new AtomicInteger();
        StepRunner runner = op -> {
            if (op.action() == OperationAction.APPLY_CONFIG) {
                attempts.incrementAndGet();
                throw new java.io.UncheckedIOException(new java.net.ConnectException("Connection refused"));
            }
        };
        Operation flaky = enqueue(project, "br-b", OperationAction.APPLY_CONFIG, List.of("br-b"));
        Operation next = enqueue(project, "br-b", OperationAction.SUSPEND_COMPUTE, List.of("br-b"));
        Duration budget = Duration.ofMillis(400);
        long started = System.nanoTime();
        try (OperationEngine engine = new OperationEngine(db, store, runner,
                config(1, new RetryPolicy(Duration.ofMillis(20), Duration.ofMillis(100), budget)))) {
            engine.start(false);
            engine.wake();
            await(() -> reload(next).status() == OperationStatus.FINISHED);
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        Operation failed = reload(flaky);
        assertThat(failed.status()).isEqualTo(OperationStatus.FAILED);
        assertThat(failed.error()).contains("Connection refused");
        // 20 + 40 + 80 + 100 + 100 = 340 ms of backoff fit in 400 ms; a sixth wait (440 ms in all) would not.
        assertThat(attempts.get()).isEqualTo(6);
        assertThat(failed.failuresCount()).isEqualTo(6);
        // Waiting behind it: the budget, plus the polls that claim each retry (500 ms at worst each).
        assertThat(millis).isLessThan(budget.toMillis() + 6 * 500 + 1_000);
    }

    @Test
    void unfinishedOperationsResumeWhenTheEngineStartsAgain() throws InterruptedException {
        String project = "resume-" + UUID.randomUUID();
        Map<UUID, Integer> runs = new ConcurrentHashMap<>();
        Operation op = enqueue(project, "br-x", OperationAction.CREATE_TIMELINE, List.of("br-x"));
        // A claimed operation whose worker died: the lease is left on the row.
        db.write(h -> store.claim(h, Duration.ofMinutes(5)));
        assertThat(reload(op).status()).isEqualTo(OperationStatus.RUNNING);
        try (OperationEngine engine = new OperationEngine(db, store,
                o -> runs.merge(o.id(), 1, Integer::sum), config(1, FAST))) {
            engine.start(true);
            await(() -> reload(op).status() == OperationStatus.FINISHED);
        }
        assertThat(runs.get(op.id())).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
