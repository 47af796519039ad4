package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.Trees;

import java.nio.file.Path;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Deletes the data plane's trees (branches, base copies, replicas, staging directories) through the data
 * directory's {@link RecycledFiles} pool, which keeps their emptied inodes for the next copies; without a pool (not
 * an ext filesystem) or for trees it does not serve, deleting simply deletes.
 */
public final class Recycling implements AutoCloseable {
    private final Optional<RecycledFiles> pool;

    public Recycling(Optional<RecycledFiles> pool) {
        this.pool = requireNonNull(pool, "pool is null");
    }

    public void deleteTree(Path root) {
        Optional<RecycledFiles> serving = poolFor(root);
        if (serving.isPresent()) {
            Trees.delete(root, serving.get()::give);
        } else {
            Trees.delete(root);
        }
    }

    /** The pool that takes the files of {@code path}, or that a copy into {@code path} takes its files from. */
    Optional<RecycledFiles> poolFor(Path path) {
        return pool.filter(p -> p.serves(path));
    }

    /** Stops filling the pool; later deletions delete. */
    @Override
    public void close() {
        pool.ifPresent(RecycledFiles::close);
    }
}
