package dev.xenon.provisioner.local.postgres;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/** The Postgres binaries of each major version, unpacked on first use. */
public final class Distributions {
    private final Path distDir;
    private final Path cacheDir;
    private final Map<Integer, Distribution> unpacked = new ConcurrentHashMap<>();

    public Distributions(Path distDir, Path cacheDir) {
        this.distDir = requireNonNull(distDir, "distDir is null");
        this.cacheDir = requireNonNull(cacheDir, "cacheDir is null");
    }

    public Distribution get(int major) {
        return unpacked.computeIfAbsent(major, m -> Distribution.unpack(m, distDir, cacheDir));
    }
}
