package dev.xenon.provisioner.local.history;

import dev.xenon.provisioner.local.postgres.OsUser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * Keeps a new branch's first base copy small. A branch made from an idle parent differs from the template in a few
 * hundred kilobytes, yet its copy is the whole cluster (30 MB for an empty one) plus the 16 MB WAL segment its
 * backup ended in, mostly zeros. So files identical to the template's become hard links to them, and WAL segments
 * are stored gzip-compressed ({@code .gz}), expanded again when a recovery copies the base.
 *
 * <p>Hard links are safe because nothing writes into a base copy or the template once made: recoveries copy
 * them, and removing a tree only unlinks a file that has other links ({@code RecycledFiles.give} reuses only
 * inodes with one link).
 */
final class CompactBase {
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}");
    private static final String COMPRESSED = ".gz";

    private CompactBase() {
    }

    /** Links the files of {@code pgdata} that {@code template} holds identically, and compresses its WAL. */
    static void compact(Path pgdata, Path template) {
        try (Stream<Path> files = Files.walk(pgdata)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path relative = pgdata.relativize(file);
                if (relative.startsWith("pg_wal")) {
                    if (SEGMENT.matcher(file.getFileName().toString()).matches()) {
                        compress(file);
                    }
                    continue;
                }
                Path same = template.resolve(relative);
                if (Files.isRegularFile(same) && Files.mismatch(file, same) == -1) {
                    link(file, same);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while compacting the base copy " + pgdata, e);
        }
    }

    /** Expands the compressed WAL segments in {@code walDir} (a copy of a base's pg_wal) for Postgres to read. */
    static void expand(Path walDir, Optional<OsUser> user) {
        try (Stream<Path> files = Files.list(walDir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(COMPRESSED)).toList()) {
                String name = file.getFileName().toString();
                Path plain = file.resolveSibling(name.substring(0, name.length() - COMPRESSED.length()));
                Path temp = file.resolveSibling("." + plain.getFileName() + ".tmp");
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
                    Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
                user.ifPresent(u -> u.chown(temp));
                Files.move(temp, plain, StandardCopyOption.ATOMIC_MOVE);
                Files.delete(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("while expanding the WAL of " + walDir, e);
        }
    }

    /** Whether the base's WAL is stored compressed (a copy then takes every file of its pg_wal). */
    static boolean hasCompressedWal(Path pgdata) {
        try (Stream<Path> files = Files.list(pgdata.resolve("pg_wal"))) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(COMPRESSED));
        } catch (IOException e) {
            throw new UncheckedIOException("while listing the WAL of " + pgdata, e);
        }
    }

    private static void compress(Path segment) throws IOException {
        Path temp = segment.resolveSibling("." + segment.getFileName() + COMPRESSED + ".tmp");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(temp), 1 << 16)) {
            Files.copy(segment, out);
        }
        Files.move(temp, segment.resolveSibling(segment.getFileName() + COMPRESSED), StandardCopyOption.ATOMIC_MOVE);
        Files.delete(segment);
    }

    private static void link(Path file, Path target) throws IOException {
        Path temp = file.resolveSibling("." + file.getFileName() + ".link");
        try {
            Files.createLink(temp, target);
        } catch (IOException | UnsupportedOperationException e) {
            return; // Another filesystem, or no hard links: the copy stays.
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
