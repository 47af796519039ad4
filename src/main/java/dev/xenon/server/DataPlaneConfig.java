package dev.xenon.server;

import static java.util.Objects.requireNonNull;

/**
 * What runs the branches' data and computes.
 *
 * @param kind               local Postgres processes, or metadata only
 * @param computeMemoryScale fraction of Neon's memory per compute unit (4 GiB) that a compute gets
 *                           (--compute-memory-scale)
 * @param spareTimelines     ready-made root timelines kept per Postgres major in use: project creation then skips
 *                           the copy
 */
public record DataPlaneConfig(Kind kind, double computeMemoryScale, int spareTimelines) {
    /** Computes get 1/16 of the memory Neon gives the same size, so a laptop can run many of them. */
    public static final DataPlaneConfig DEFAULT = new DataPlaneConfig(Kind.LOCAL, 1.0 / 16, 2);

    public enum Kind {
        /** Real Postgres processes and data directories on this machine (the default). */
        LOCAL,
        /** No data at all: operations only update metadata. For fast tests of the API alone. */
        METADATA_ONLY
    }

    public DataPlaneConfig {
        requireNonNull(kind, "kind is null");
        if (!(computeMemoryScale > 0 && computeMemoryScale <= 1)) {
            throw new IllegalArgumentException("the compute memory scale must be in (0, 1], got " + computeMemoryScale);
        }
        if (spareTimelines < 0) {
            throw new IllegalArgumentException("spare timelines must not be negative, got " + spareTimelines);
        }
    }

    public DataPlaneConfig withKind(Kind value) {
        return new DataPlaneConfig(value, computeMemoryScale, spareTimelines);
    }

    public DataPlaneConfig withComputeMemoryScale(double scale) {
        return new DataPlaneConfig(kind, scale, spareTimelines);
    }
}
