package dev.xenon.proxy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SharedWakesTest {
    /** A directory whose wake blocks until released, counting calls. */
    private static final class GatedDirectory extends StubDirectory {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger calls = new AtomicInteger();
        volatile String failure;

        @Override
        public ComputeAddress wake(String endpointId) throws ComputeUnavailable, InterruptedException {
            calls.incrementAndGet();
            entered.countDown();
            release.await();
            if (failure != null) {
                throw new ComputeUnavailable(failure);
            }
            return new ComputeAddress("127.0.0.1", 5555);
        }
    }

    @Test
    void waitersDuringAStartShareIt() throws Exception {
        GatedDirectory directory = new GatedDirectory();
        SharedWakes wakes = new SharedWakes(directory);
        List<Object> results = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        threads.add(Thread.ofPlatform().start(() -> results.add(wakeQuietly(wakes))));
        directory.entered.await();
        for (int i = 0; i < 4; i++) {
            threads.add(Thread.ofPlatform().start(() -> results.add(wakeQuietly(wakes))));
        }
        awaitWaiting(threads);
        directory.release.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(directory.calls.get()).isEqualTo(1);
        assertThat(results).hasSize(5).containsOnly(new ComputeAddress("127.0.0.1", 5555));

        // Once done, the next wake asks the directory again (the compute may have been suspended since).
        wakes.wake("ep-a");
        assertThat(directory.calls.get()).isEqualTo(2);
    }

    @Test
    void aFailedStartFailsEveryWaiter() throws Exception {
        GatedDirectory directory = new GatedDirectory();
        directory.failure = "out of memory";
        directory.release.countDown();
        SharedWakes wakes = new SharedWakes(directory);
        assertThatThrownBy(() -> wakes.wake("ep-a")).isInstanceOf(ComputeUnavailable.class)
                .hasMessage("out of memory");
    }

    private static Object wakeQuietly(SharedWakes wakes) {
        try {
            return wakes.wake("ep-a");
        } catch (Exception e) {
            return e;
        }
    }

    private static void awaitWaiting(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            while (t.getState() != Thread.State.WAITING) {
                Thread.sleep(5);
            }
        }
    }

    private static class StubDirectory implements EndpointDirectory {
        @Override
        public Optional<EndpointInfo> byId(String endpointId) {
            return Optional.empty();
        }

        @Override
        public Optional<EndpointInfo> byPort(int port) {
            return Optional.empty();
        }

        @Override
        public ComputeAddress wake(String endpointId) throws ComputeUnavailable, InterruptedException {
            throw new ComputeUnavailable("stub");
        }

        @Override
        public Optional<String> scramVerifier(String endpointId, String role) {
            return Optional.empty();
        }

        @Override
        public void sessionOpened(String endpointId) {
        }

        @Override
        public void sessionClosed(String endpointId, long bytesTransferred) {
        }
    }
}
