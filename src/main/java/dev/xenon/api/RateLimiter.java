package dev.xenon.api;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-key token buckets, as Neon limits: a sustained rate per minute for each key and a burst rate per second
 * for each key and route. Answers how long to wait, or zero when the request may pass.
 */
public final class RateLimiter {
    private final double perMinute;
    private final double burstPerSecond;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute, int burstPerSecond) {
        this.perMinute = perMinute;
        this.burstPerSecond = burstPerSecond;
    }

    /** Seconds to wait before retrying, or 0 if the request is admitted (and counted). */
    public long admit(long keyId, String route) {
        long now = System.nanoTime();
        Bucket sustained = buckets.computeIfAbsent("k" + keyId, k -> new Bucket(perMinute, perMinute / 60.0, now));
        Bucket burst = buckets.computeIfAbsent("r" + keyId + " " + route,
                k -> new Bucket(burstPerSecond, burstPerSecond, now));
        synchronized (sustained) {
            synchronized (burst) {
                double waitSustained = sustained.waitFor(now);
                double waitBurst = burst.waitFor(now);
                if (waitSustained > 0 || waitBurst > 0) {
                    return (long) Math.ceil(Math.max(waitSustained, waitBurst));
                }
                sustained.take();
                burst.take();
                return 0;
            }
        }
    }

    private static final class Bucket {
        private final double capacity;
        private final double refillPerSecond;
        private double tokens;
        private long updatedNanos;

        Bucket(double capacity, double refillPerSecond, long now) {
            this.capacity = capacity;
            this.refillPerSecond = refillPerSecond;
            this.tokens = capacity;
            this.updatedNanos = now;
        }

        double waitFor(long now) {
            tokens = Math.min(capacity, tokens + (now - updatedNanos) / 1e9 * refillPerSecond);
            updatedNanos = now;
            return tokens >= 1 ? 0 : (1 - tokens) / refillPerSecond;
        }

        void take() {
            tokens -= 1;
        }
    }
}
