package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The unprivileged account Postgres runs as when Xenon itself runs as root: Postgres refuses to start as root,
 * so every initdb/postgres command is wrapped to drop to this account and the files it writes are handed to it.
 */
public record OsUser(String name, int uid, int gid) {
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10);

    public OsUser {
        requireNonNull(name, "name is null");
        if (uid == 0) {
            throw new IllegalArgumentException("Postgres refuses to run as root: account '" + name
                    + "' has uid 0; configure an unprivileged account");
        }
    }

    /**
     * The account to run Postgres as, or empty when the JVM is not root (Postgres then simply runs as the JVM's
     * own account, and a configured name is ignored since we could not switch to it anyway).
     *
     * @param configured account name from the configuration, or null for the default: {@code postgres}, else
     *                   {@code nobody}
     */
    public static Optional<OsUser> resolveWhenRoot(String configured) {
        if (currentUid() != 0) {
            return Optional.empty();
        }
        requireSetpriv();
        if (configured != null && !configured.isBlank()) {
            String name = configured.strip();
            return Optional.of(lookup(name).orElseThrow(() -> new IllegalArgumentException(
                    "the configured Postgres OS account '" + name + "' does not exist on this machine")));
        }
        return Optional.of(lookup("postgres")
                .or(() -> lookup("nobody"))
                .orElseThrow(() -> new IllegalStateException("Xenon runs as root and neither a 'postgres' nor a"
                        + " 'nobody' account exists to run Postgres as; create one or configure an account")));
    }

    /** The effective uid of this JVM. */
    public static int currentUid() {
        try {
            // /proc/self is owned by the process' effective uid: no subprocess needed on Linux.
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            String out = Commands.runOrFail(List.of("id", "-u"), null, LOOKUP_TIMEOUT, "finding the JVM's uid");
            return Integer.parseInt(out.strip());
        }
    }

    /** The account with this name, or empty if there is none. */
    static Optional<OsUser> lookup(String name) {
        requireNonNull(name, "name is null");
        Commands.Result uid = Commands.run(List.of("id", "-u", name), null, LOOKUP_TIMEOUT);
        if (!uid.ok()) {
            return Optional.empty();
        }
        String gid = Commands.runOrFail(List.of("id", "-g", name), null, LOOKUP_TIMEOUT,
                "finding the group of account '" + name + "'");
        return Optional.of(new OsUser(name, Integer.parseInt(uid.output().strip()), Integer.parseInt(gid.strip())));
    }

    /** The command, run as this account instead of root. */
    public List<String> wrap(List<String> command) {
        requireNonNull(command, "command is null");
        List<String> wrapped = new ArrayList<>(command.size() + 5);
        // setpriv execs the command in place, so the pid we supervise is the postmaster's own pid.
        wrapped.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups", "--"));
        wrapped.addAll(command);
        return List.copyOf(wrapped);
    }

    /** Gives the file, or the directory and everything under it, to this account (symlinks themselves, not targets). */
    public void chown(Path path) {
        requireNonNull(path, "path is null");
        try {
            Files.walkFileTree(path, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    setOwner(dir);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    setOwner(file);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("while giving " + path + " to account " + name + " (uid " + uid + ")", e);
        }
    }

    private void setOwner(Path path) throws IOException {
        Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Fails, naming the culprit, unless this account can reach {@code dir}: it and every parent must be searchable
     * by it. Directories that do not exist yet are skipped, since whoever creates them decides their mode.
     */
    public void requireTraversable(Path dir) {
        requireNonNull(dir, "dir is null");
        firstUntraversable(dir).ifPresent(blocker -> {
            throw new IllegalStateException("Postgres runs as account '" + name + "' (uid " + uid + "), which cannot"
                    + " enter directory " + blocker + " on the way to " + dir + "; give it o+x (chmod o+x "
                    + blocker + "), or put Xenon's data elsewhere (not under a mode-700 home such as /root)");
        });
    }

    /** The first directory on the way to {@code dir} (inclusive) that this account cannot search, if any. */
    public Optional<Path> firstUntraversable(Path dir) {
        requireNonNull(dir, "dir is null");
        Path existing = dir.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return Optional.empty();
        }
        Set<Integer> groups = null;
        try {
            List<Path> chain = new ArrayList<>();
            for (Path p = existing.toRealPath(); p != null; p = p.getParent()) {
                chain.addFirst(p);
            }
            for (Path p : chain) {
                if (!Files.isDirectory(p)) {
                    continue;
                }
                int owner = (Integer) Files.getAttribute(p, "unix:uid");
                int group = (Integer) Files.getAttribute(p, "unix:gid");
                int mode = (Integer) Files.getAttribute(p, "unix:mode");
                boolean searchable;
                if (owner == uid) {
                    searchable = (mode & 0100) != 0;
                } else if ((mode & 0010) != (mode & 0001) << 3) {
                    // Group and other bits differ, so group membership decides: look it up only now, it costs a fork.
                    if (groups == null) {
                        groups = groups();
                    }
                    searchable = groups.contains(group) ? (mode & 0010) != 0 : (mode & 0001) != 0;
                } else {
                    searchable = (mode & 0001) != 0;
                }
                if (!searchable) {
                    return Optional.of(p);
                }
            }
            return Optional.empty();
        } catch (NoSuchFileException e) {
            // Removed while we looked: whoever recreates it decides its mode.
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("while checking that account " + name + " can reach " + dir, e);
        }
    }

    private Set<Integer> groups() {
        Commands.Result result = Commands.run(List.of("id", "-G", name), null, LOOKUP_TIMEOUT);
        Set<Integer> groups = new HashSet<>();
        groups.add(gid);
        if (result.ok()) {
            groups.addAll(Arrays.stream(result.output().strip().split("\\s+"))
                    .filter(s -> !s.isEmpty())
                    .map(Integer::valueOf)
                    .collect(Collectors.toSet()));
        }
        return groups;
    }

    private static void requireSetpriv() {
        // Same lookup ProcessBuilder will do when it runs the wrapped command.
        String path = System.getenv().getOrDefault("PATH", "/bin:/usr/bin");
        boolean found = Arrays.stream(path.split(":"))
                .filter(s -> !s.isEmpty())
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "setpriv")));
        if (!found) {
            throw new IllegalStateException("Xenon runs as root and needs setpriv (util-linux) to run Postgres as an"
                    + " unprivileged account, but setpriv is not on the PATH; install util-linux");
        }
    }
}
