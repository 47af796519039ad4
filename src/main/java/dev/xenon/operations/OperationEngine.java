package dev.xenon.operations;

import dev.xenon.store.Db;
import dev.xenon.store.StoreUnavailable;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Workers that claim queued operations, run their steps, and record the outcome. A permanent failure (see
 * {@link Failures}) fails the operation at once; a transient one is retried with exponential backoff within the
 * {@link RetryPolicy}'s budget. An operation left running by a crash is claimed again once its lease lapses.
 */
public final class OperationEngine implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(OperationEngine.class);
    private static final Duration RECORD_PATIENCE = Duration.ofSeconds(30);
    private static final Duration RECORD_RETRY = Duration.ofMillis(200);

    private final Db db;
    private final OperationStore operations;
    private final StepRunner steps;
    private final int workerCount;
    private final Duration lease;
    private final Duration idlePoll;
    private final RetryPolicy retry;
    private final Semaphore wakeups = new Semaphore(0);
    private final OperationSignal settled = new OperationSignal();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    private volatile boolean running;

    public OperationEngine(Db db, OperationStore operations, StepRunner steps, EngineConfig config) {
        this.db = requireNonNull(db, "db is null");
        this.operations = requireNonNull(operations, "operations is null");
        this.steps = requireNonNull(steps, "steps is null");
        requireNonNull(config, "config is null");
        this.workerCount = config.workers();
        this.lease = config.lease();
        this.idlePoll = config.idlePoll();
        this.retry = config.retry();
    }

    /** Signalled whenever an operation this engine ran finishes or fails an attempt. */
    public OperationSignal settled() {
        return settled;
    }

    public void start(boolean soleServer) {
        if (soleServer) {
            db.run(operations::releaseLeases);
        }
        running = true;
        for (int i = 0; i < workerCount; i++) {
            workers.add(Thread.ofVirtual().name("operations-" + i).start(this::work));
        }
    }

    /** Whether every worker is alive and taking operations: for readiness. */
    public boolean workersAlive() {
        return running && workers.size() == workerCount && workers.stream().allMatch(Thread::isAlive);
    }

    /** Called after a transaction that enqueued operations commits, so they start without waiting for a poll. */
    public void wake() {
        wakeups.release(workerCount);
    }

    private void work() {
        while (running) {
            Optional<Operation> claimed;
            try {
                claimed = db.write(h -> operations.claim(h, lease));
            } catch (StoreUnavailable e) {
                log.debug("while claiming an operation: {}", e.toString());
                claimed = Optional.empty();
            } catch (RuntimeException e) {
                log.warn("while claiming an operation: {}", e.toString());
                claimed = Optional.empty();
            }
            if (claimed.isPresent()) {
                try {
                    execute(claimed.get());
                } catch (RuntimeException e) {
                    // The outcome could not be recorded (the store went away): the lease lapses and the operation
                    // is claimed again. The worker itself must live on, or the queue would stall.
                    log.warn("while recording the outcome of operation {}: {}", claimed.get().id(), e.toString());
                }
                continue;
            }
            try {
                if (wakeups.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS)) {
                    wakeups.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void execute(Operation op) {
        long started = System.nanoTime();
        // A step may outlast the lease (a point-in-time branch replaying gigabytes of WAL): keep it, so no other
        // worker takes the operation for abandoned and runs it a second time meanwhile.
        Thread keeper = Thread.ofVirtual().name("lease-" + op.id()).start(() -> keepLease(op));
        try {
            steps.run(op);
            long ms = elapsedMs(started);
            record(h -> operations.finish(h, op.id(), ms));
            settled.signal();
            // Finishing one step may unblock the next on the same branch or endpoint.
            wake();
        } catch (RuntimeException e) {
            long ms = elapsedMs(started);
            int attempt = op.failuresCount() + 1;
            boolean permanent = Failures.permanent(e);
            Instant retryAt = permanent ? null : retry.next(attempt, op.totalDurationMs() + ms)
                    .map(delay -> Instant.now().plus(delay)).orElse(null);
            log.warn("operation {} {} failed ({}, attempt {}): {}", op.action().stored(), op.id(),
                    permanent ? "permanently" : retryAt == null ? "retry budget spent" : "will retry", attempt,
                    e.toString());
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            record(h -> operations.recordFailure(h, op.id(), message, retryAt, ms));
            settled.signal();
            // A failed operation no longer holds back those queued behind it on the same branch or endpoint.
            wake();
        } finally {
            keeper.interrupt();
        }
    }

    /**
     * Records an outcome, waiting out a metadata store restart (a second or two) rather than leaving the operation
     * to be claimed again when its lease lapses, minutes later, with the branch held up until then.
     */
    private void record(Consumer<Handle> outcome) {
        long deadline = System.nanoTime() + RECORD_PATIENCE.toNanos();
        while (true) {
            try {
                db.run(outcome);
                return;
            } catch (StoreUnavailable e) {
                if (!running || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(RECORD_RETRY);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private void keepLease(Operation op) {
        while (true) {
            try {
                Thread.sleep(lease.dividedBy(3));
            } catch (InterruptedException e) {
                return;
            }
            try {
                db.run(h -> operations.extendLease(h, op.id(), lease));
            } catch (RuntimeException e) {
                log.warn("while extending the lease of operation {}: {}", op.id(), e.toString());
            }
        }
    }

    private static long elapsedMs(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    @Override
    public void close() {
        running = false;
        wakeups.release(workerCount);
        for (Thread worker : workers) {
            try {
                worker.join(Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
