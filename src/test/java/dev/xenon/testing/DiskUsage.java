package dev.xenon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.stream.Stream;

/** Bytes on disk as {@code du} counts them: a file reached by several hard links counts once. */
public final class DiskUsage {
    private DiskUsage() {
    }

    /** Bytes of the files under {@code dir} whose inodes {@code counted} does not hold yet; it then holds them. */
    public static long newBytes(Path dir, Set<Object> counted) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        long total = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                BasicFileAttributes attrs = Files.readAttributes(f, BasicFileAttributes.class);
                if (counted.add(attrs.fileKey())) {
                    total += attrs.size();
                }
            }
        }
        return total;
    }
}
