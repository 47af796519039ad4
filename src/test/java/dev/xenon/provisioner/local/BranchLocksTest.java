package dev.xenon.provisioner.local;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-branch locks exclude each other per branch and are dropped once nobody holds or waits for them. */
class BranchLocksTest {
    @Test
    void locksOfBranchesNobodyUsesAreDropped() {
        BranchLocks locks = new BranchLocks();
        for (int i = 0; i < 1_000; i++) {
            String branch = "br-" + i;
            locks.run(branch, () -> locks.run(branch, () -> assertThat(locks.size()).isEqualTo(1)));
        }
        assertThat(locks.size()).isZero();

        HistoryLocks history = new HistoryLocks();
        for (int i = 0; i < 1_000; i++) {
            String branch = "br-" + i;
            history.reading(branch, () -> null);
            history.writing(branch, () -> { });
            assertThat(history.tryWriting(branch, 10, () -> { })).isTrue();
        }
        assertThat(history.size()).isZero();
    }

    @Test
    void aWaiterGetsTheSameLockAsItsHolder() throws Exception {
        BranchLocks locks = new BranchLocks();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean overlapped = new AtomicBoolean();
        AtomicBoolean inside = new AtomicBoolean();
        Thread holder = Thread.ofVirtual().start(() -> locks.run("br-a", () -> {
            inside.set(true);
            held.countDown();
            await(release);
            inside.set(false);
        }));
        assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
        Thread waiter = Thread.ofVirtual().start(() -> locks.run("br-a", () -> overlapped.set(inside.get())));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(locks.size()).isEqualTo(1);
        locks.run("br-b", () -> assertThat(locks.size()).isEqualTo(2));
        release.countDown();
        holder.join();
        waiter.join();

        assertThat(overlapped).isFalse();
        assertThat(locks.size()).isZero();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
