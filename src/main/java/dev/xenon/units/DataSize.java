package dev.xenon.units;

/**
 * An amount of data in bytes, for sizes in configuration: {@code DataSize.ofMegabytes(256)} says what
 * {@code 256L << 20} only computes. Megabytes here are 2^20 bytes, as Postgres counts them.
 */
public record DataSize(long bytes) implements Comparable<DataSize> {
    private static final long KB = 1L << 10;
    private static final long MB = 1L << 20;
    private static final long GB = 1L << 30;

    public DataSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a data size must not be negative, got " + bytes + " bytes");
        }
    }

    public static DataSize ofBytes(long bytes) {
        return new DataSize(bytes);
    }

    public static DataSize ofMegabytes(long megabytes) {
        return new DataSize(Math.multiplyExact(megabytes, MB));
    }

    @Override
    public int compareTo(DataSize other) {
        return Long.compare(bytes, other.bytes);
    }

    /** The largest whole unit: "256MB", "1GB", "1500B". */
    @Override
    public String toString() {
        if (bytes != 0 && bytes % GB == 0) {
            return bytes / GB + "GB";
        }
        if (bytes != 0 && bytes % MB == 0) {
            return bytes / MB + "MB";
        }
        if (bytes != 0 && bytes % KB == 0) {
            return bytes / KB + "kB";
        }
        return bytes + "B";
    }
}
