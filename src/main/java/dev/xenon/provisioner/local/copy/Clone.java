package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.Commands;
import dev.xenon.provisioner.local.postgres.OsUser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Copies a Postgres data directory the cheapest way the filesystem allows: {@code cp --reflink=auto} shares
 * blocks on XFS (reflink=1) and Btrfs, so a branch costs metadata only, and falls back to a byte copy elsewhere
 * (tmpfs); on ext filesystems a byte copy into recycled inodes ({@link RecyclingCopy}). What a base backup
 * must leave out (the docs' "Making a Base Backup Using the Low Level API") is left out here too: runtime state
 * that Postgres rebuilds, and WAL, of which the caller picks what recovery needs.
 */
public final class Clone {
    private static final Duration COPY_TIMEOUT = Duration.ofMinutes(30);
    /** Directories whose contents are runtime state; the directories themselves must exist. */
    private static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_replslot", "pg_dynshmem", "pg_notify",
            "pg_serial", "pg_snapshots", "pg_stat_tmp", "pg_subtrans");
    /** Files that belong to one running server, an earlier backup, or a standby, never to a copy. */
    private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "standby.signal", "recovery.signal", "current_logfiles");

    private final Optional<OsUser> user;
    private final Recycling recycling;

    public Clone(Optional<OsUser> user, Recycling recycling) {
        this.user = requireNonNull(user, "user is null");
        this.recycling = requireNonNull(recycling, "recycling is null");
    }

    /**
     * Copies {@code source} into the new directory {@code target}, then the WAL files {@code wal} into its pg_wal.
     *
     * @param live the source is in use by a running server: files it removes meanwhile (a dropped table) are not
     *             an error, since WAL replay recreates or drops them anyway
     */
    public void dataDirectory(Path source, Path target, List<Path> wal, boolean live) {
        String context = "while copying the data directory " + source + " to " + target;
        try {
            if (Files.exists(target)) {
                throw new IllegalStateException(target + " already exists");
            }
            Files.createDirectories(target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            List<Path> entries;
            try (Stream<Path> list = Files.list(source)) {
                entries = list.filter(p -> !EMPTY_DIRS.contains(p.getFileName().toString())
                        && !SKIPPED_FILES.contains(p.getFileName().toString())).sorted().toList();
            }
            List<Path> created = new ArrayList<>();
            copyInParallel(entries, target, live);
            for (String name : EMPTY_DIRS) {
                Path dir = source.resolve(name);
                if (Files.isDirectory(dir)) {
                    created.add(emptyLike(dir, target.resolve(name)));
                }
            }
            // pg_wal's subdirectories (archive_status, summaries since 17) must exist too.
            try (Stream<Path> list = Files.list(source.resolve("pg_wal"))) {
                for (Path sub : list.filter(Files::isDirectory).toList()) {
                    created.add(emptyLike(sub, target.resolve("pg_wal").resolve(sub.getFileName())));
                }
            }
            copy(wal, target.resolve("pg_wal"), false);
            // Only the top directory and what we made ourselves: cp -a kept the owner of everything it copied.
            setOwner(target);
            user.ifPresent(u -> created.forEach(u::chown));
        } catch (IOException e) {
            throw new UncheckedIOException(context, e);
        } catch (RuntimeException e) {
            throw new IllegalStateException(context + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the entries with one job per database directory, running at once. Creating files dominates the cost
     * of a byte copy (a cluster has about 300 files per database), and filesystems create files in different
     * directories concurrently, so this roughly halves the time where reflinks are unavailable.
     */
    private void copyInParallel(List<Path> entries, Path target, boolean live)
            throws IOException {
        List<Runnable> jobs = new ArrayList<>();
        List<Path> rest = new ArrayList<>();
        for (Path entry : entries) {
            if (entry.getFileName().toString().equals("base") && Files.isDirectory(entry)) {
                Path base = target.resolve("base");
                emptyLike(entry, base);
                setOwner(base);
                try (Stream<Path> databases = Files.list(entry)) {
                    databases.forEach(db -> jobs.add(() -> copy(List.of(db), base, live)));
                }
            } else {
                rest.add(entry);
            }
        }
        jobs.add(() -> copy(rest, target, live));
        List<Thread> threads = jobs.stream().map(job -> Thread.ofVirtual().name("clone").unstarted(job)).toList();
        List<RuntimeException> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        threads.forEach(t -> t.setUncaughtExceptionHandler((thread, e) -> failures.add(
                e instanceof RuntimeException r ? r : new IllegalStateException(e))));
        threads.forEach(Thread::start);
        try {
            for (Thread thread : threads) {
                thread.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while copying " + entries, e);
        }
        if (!failures.isEmpty()) {
            RuntimeException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }

    /**
     * Copies files and directory trees into {@code targetDir}, keeping modes and owners: with recycled inodes where
     * the data directory keeps them (ext filesystems), else with {@code cp}, which also makes reflinks.
     */
    public void copy(List<Path> sources, Path targetDir, boolean live) {
        if (sources.isEmpty()) {
            return;
        }
        Optional<RecycledFiles> pool = recycling.poolFor(targetDir);
        if (pool.isPresent()) {
            RecyclingCopy copy = new RecyclingCopy(pool.get());
            for (Path source : sources) {
                try {
                    copy.copy(source, targetDir.resolve(source.getFileName().toString()), live);
                } catch (IOException e) {
                    throw new UncheckedIOException("while copying " + source + " to " + targetDir, e);
                }
            }
            return;
        }
        List<String> command = new ArrayList<>(List.of("cp", "-a", "--reflink=auto"));
        sources.forEach(p -> command.add(p.toString()));
        command.add(targetDir.toString() + "/");
        Commands.Result result = Commands.run(command, null, COPY_TIMEOUT);
        if (result.ok()) {
            return;
        }
        String output = result.output().strip();
        if (live && output.lines().allMatch(line -> line.contains("No such file or directory"))) {
            return;
        }
        if (output.contains("reflink")) {
            // Not GNU cp (e.g. BSD cp): a plain recursive copy keeping modes and owners.
            List<String> plain = new ArrayList<>(List.of("cp", "-pR"));
            plain.addAll(command.subList(3, command.size()));
            Commands.runOrFail(plain, null, COPY_TIMEOUT, "copying " + sources + " to " + targetDir);
            return;
        }
        throw new IllegalStateException("cp failed (exit " + result.exitCode() + "): " + output);
    }

    private Path emptyLike(Path source, Path target) throws IOException {
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(source));
        return target;
    }

    private void setOwner(Path path) {
        user.ifPresent(u -> {
            try {
                Files.setAttribute(path, "unix:uid", u.uid());
                Files.setAttribute(path, "unix:gid", u.gid());
            } catch (IOException e) {
                throw new UncheckedIOException("while giving " + path + " to account " + u.name(), e);
            }
        });
    }

    /** Logical size: what pg_database_size sums over all databases, i.e. the files under base/. */
    public static long logicalSize(Path pgdata) {
        return size(pgdata.resolve("base"));
    }

    /** Bytes held by the regular files under {@code dir} (apparent size, not blocks shared by reflinks). */
    public static long size(Path dir) {
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total.addAndGet(attrs.size());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("while measuring " + dir, e);
        }
        return total.get();
    }
}
