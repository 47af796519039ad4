package dev.xenon.provisioner.local.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Where the local data plane keeps its files under the server's data directory:
 * <pre>
 *   admin-password                      the internal superuser's password (mode 600)
 *   compute/                            pg_hba.conf, server.crt, server.key shared by every compute
 *   templates/&lt;major&gt;/                  a cleanly shut-down cluster per major, cloned for new projects
 *   timelines/&lt;project&gt;/&lt;branch&gt;/
 *       pgdata/                         the branch's data, run by its read_write compute
 *       state.json                      which roles and databases Xenon manages there
 *       branch-point.json               where the branch started, for idempotent re-runs
 *       history/wal/                    WAL its computes archived (archive_command), for point-in-time recovery
 *       history/bases/&lt;name&gt;/           base copies (pgdata/ and base.json) that recovery starts from
 *       replicas/&lt;endpoint&gt;/            a read_only compute's own copy
 *       logs/&lt;endpoint&gt;.log              compute logs (maintenance.log for temporary servers)
 *   recycled/                           emptied files kept for reuse on ext filesystems (copy.RecycledFiles)
 * </pre>
 * Everything of a branch lives under its directory, so deleting that directory leaves nothing behind.
 */
public final class DataLayout {
    // Ids come from our own generator; checking them keeps a bad one from naming a path outside the tree.
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");

    private final Path root;

    public DataLayout(Path root) {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path adminPassword() {
        return root.resolve("admin-password");
    }

    public Path computeFiles() {
        return root.resolve("compute");
    }

    public Path templates() {
        return root.resolve("templates");
    }

    public Path template(int major) {
        return templates().resolve(Integer.toString(major));
    }

    public Path recycled() {
        return root.resolve("recycled");
    }

    public Path timelines() {
        return root.resolve("timelines");
    }

    public Path project(String projectId) {
        return timelines().resolve(id(projectId));
    }

    public Path timeline(String projectId, String branchId) {
        return project(projectId).resolve(id(branchId));
    }

    public static Path pgdata(Path timeline) {
        return timeline.resolve("pgdata");
    }

    public static Path state(Path timeline) {
        return timeline.resolve("state.json");
    }

    public static Path branchPoint(Path timeline) {
        return timeline.resolve("branch-point.json");
    }

    public static Path history(Path timeline) {
        return timeline.resolve("history");
    }

    /** The branch's WAL archive. */
    public static Path archive(Path timeline) {
        return history(timeline).resolve("wal");
    }

    public static Path bases(Path timeline) {
        return history(timeline).resolve("bases");
    }

    public static Path replica(Path timeline, String endpointId) {
        return timeline.resolve("replicas").resolve(id(endpointId));
    }

    public static Path log(Path timeline, String name) {
        return timeline.resolve("logs").resolve(id(name) + ".log");
    }

    /**
     * Creates the directory and its missing parents with mode 711: the Postgres account must pass through them
     * to its data directories, but needs to list none of them.
     */
    public static Path traversableDir(Path dir) {
        try {
            Path absolute = dir.toAbsolutePath().normalize();
            if (!Files.isDirectory(absolute)) {
                Path parent = absolute.getParent();
                if (parent != null && !Files.isDirectory(parent)) {
                    traversableDir(parent);
                }
                Files.createDirectories(absolute);
                Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rwx--x--x"));
            }
            return absolute;
        } catch (IOException e) {
            throw new UncheckedIOException("while creating directory " + dir, e);
        }
    }

    /** Creates the directory (mode 700) if missing: for logs, which only Xenon itself writes and reads. */
    public static Path privateDir(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("while creating directory " + dir, e);
        }
    }

    static String id(String id) {
        requireNonNull(id, "id is null");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a valid resource id for a path: '" + id + "'");
        }
        return id;
    }
}
