package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.DataLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Ready-made copies of each template, so a new project takes one by renaming it (microseconds) instead of
 * copying a thousand files (tens of milliseconds on a fast disk, most of a second on a slow one). Taking one
 * queues the making of its replacement in the background. A copy is made under a temporary name and renamed
 * when complete, so a crash leaves only litter that the next start clears.
 */
public final class Spares implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Spares.class);
    private static final String MAKING = ".making-";

    private final Path root;
    private final int perMajor;
    private final ExecutorService maker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "xenon-spares");
        t.setDaemon(true);
        return t;
    });
    private final Set<Integer> queued = ConcurrentHashMap.newKeySet();
    // Not synchronized: a virtual thread waiting in a monitor pins its carrier thread (JDK 21-23).
    private final ReentrantLock taking = new ReentrantLock();
    private final Recycling recycling;
    private final MakeFor makeFor;
    private volatile boolean closed;

    /** Makes a complete timeline directory for a major at the given (new) path. */
    public interface MakeFor {
        void make(int major, Path timeline);
    }

    public Spares(Path root, int perMajor, Recycling recycling, MakeFor makeFor) {
        this.root = requireNonNull(root, "root is null");
        this.perMajor = perMajor;
        this.recycling = requireNonNull(recycling, "recycling is null");
        this.makeFor = requireNonNull(makeFor, "makeFor is null");
        clearUnfinished();
    }

    /** Moves a spare of {@code major} to {@code target} (which must not exist); empty when there is none. */
    public Optional<Path> take(int major, Path target) {
        taking.lock();
        try {
            Optional<Path> spare = list(major).stream().findFirst();
            if (spare.isPresent()) {
                try {
                    Files.move(spare.get(), target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("while taking spare " + spare.get() + " as " + target, e);
                }
            }
            refill(major);
            return spare.map(s -> target);
        } finally {
            taking.unlock();
        }
    }

    /** Makes spares of {@code major} in the background until there are enough. */
    public void refill(int major) {
        if (perMajor <= 0 || closed || !queued.add(major)) {
            return;
        }
        maker.execute(() -> {
            try {
                while (!closed && list(major).size() < perMajor) {
                    Path making = dir(major).resolve(MAKING + UUID.randomUUID());
                    makeFor.make(major, making);
                    Files.move(making, dir(major).resolve(UUID.randomUUID().toString()), StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("while making a spare Postgres {} timeline: {}", major, e.toString());
            } finally {
                queued.remove(major);
            }
        });
    }

    private List<Path> list(int major) {
        Path dir = dir(major);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(MAKING)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("while listing spares in " + dir, e);
        }
    }

    private Path dir(int major) {
        return DataLayout.traversableDir(root.resolve(Integer.toString(major)));
    }

    private void clearUnfinished() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> majorDirs = Files.list(root)) {
            for (Path majorDir : majorDirs.toList()) {
                try (Stream<Path> entries = Files.list(majorDir)) {
                    entries.filter(p -> p.getFileName().toString().startsWith(MAKING)).forEach(recycling::deleteTree);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Only litter: it costs disk space, not correctness, and the next start tries again.
            LOG.warn("while clearing unfinished spares in {}: {}", root, e.toString());
        }
    }

    /** Waits for a spare being made to be finished, so no copy runs once the server has stopped. */
    @Override
    public void close() {
        closed = true;
        maker.shutdown();
        try {
            maker.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
