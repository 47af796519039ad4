package dev.xenon.provisioner.local.postgres;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/** The Postgres binaries of each major version, unpacked on first use. */
public final class Distributions {
    private final Path distDir;
    private final Path cacheDir;
    private final Map<Integer, Distribution> unpacked = new ConcurrentHashMap<>();
    // An unpack takes seconds: not inside computeIfAbsent, whose bin lock is a monitor that pins the carrier thread
    // of a virtual thread waiting on it (JDK 21-23). One lock per major (five at most), so majors unpack in parallel.
    private final Map<Integer, ReentrantLock> unpacking = new ConcurrentHashMap<>();

    public Distributions(Path distDir, Path cacheDir) {
        this.distDir = requireNonNull(distDir, "distDir is null");
        this.cacheDir = requireNonNull(cacheDir, "cacheDir is null");
    }

    public Distribution get(int major) {
        Distribution known = unpacked.get(major);
        if (known != null) {
            return known;
        }
        ReentrantLock lock = unpacking.computeIfAbsent(major, m -> new ReentrantLock());
        lock.lock();
        try {
            Distribution dist = unpacked.get(major);
            if (dist == null) {
                dist = Distribution.unpack(major, distDir, cacheDir);
                unpacked.put(major, dist);
            }
            return dist;
        } finally {
            lock.unlock();
        }
    }
}
