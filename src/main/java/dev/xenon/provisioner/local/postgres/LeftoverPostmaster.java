package dev.xenon.provisioner.local.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A postmaster that a killed earlier run of Xenon left serving a data directory, found and shut down. */
final class LeftoverPostmaster {
    private static final Logger LOG = LoggerFactory.getLogger(LeftoverPostmaster.class);

    private LeftoverPostmaster() {
    }

    /**
     * Two postmasters on one data directory would corrupt it. Postgres guards against that itself, but a postmaster
     * orphaned by a killed JVM would then block us forever: stop it, since only this class runs postmasters here.
     */
    static void stop(Path dataDir, Duration timeout) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        List<String> lines = PostgresServer.readLines(pidFile);
        if (lines.isEmpty()) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(PostgresServer.PID_LINE).strip());
        } catch (NumberFormatException e) {
            return; // Not ours to interpret: Postgres reports a corrupt lock file itself.
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (handle.isEmpty()) {
            return; // Stale after a crash: Postgres removes it itself.
        }
        Optional<Path> cwd = workingDirectory(pid);
        boolean ours = cwd.isPresent()
                ? cwd.get().equals(dataDir.toRealPath())
                : handle.get().info().command().map(c -> c.endsWith("/postgres")).orElse(false);
        if (!ours) {
            if (cwd.isPresent()) {
                // The pid was reused by an unrelated process, which would make Postgres refuse to start.
                LOG.warn("removing stale {}: its pid {} now belongs to an unrelated process", pidFile, pid);
                Files.deleteIfExists(pidFile);
            }
            return;
        }
        LOG.warn("a postmaster (pid {}) left over from an earlier run still serves {}; shutting it down", pid, dataDir);
        try {
            PostgresServer.signal(pid, "INT");
            if (awaitOrphanExit(handle.get(), pidFile, timeout)) {
                return;
            }
            PostgresServer.signal(pid, "QUIT");
            if (awaitOrphanExit(handle.get(), pidFile, PostgresServer.SIGNAL_TIMEOUT)) {
                return;
            }
            PostgresServer.signal(pid, "KILL");
            if (awaitOrphanExit(handle.get(), pidFile, PostgresServer.SIGNAL_TIMEOUT)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the leftover postmaster " + pid, e);
        }
        throw new IllegalStateException("the leftover postmaster (pid " + pid + ") of " + dataDir + " does not exit");
    }

    private static boolean awaitOrphanExit(ProcessHandle handle, Path pidFile, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            // The lock file goes last thing on exit; an orphan whose new parent never reaps it stays "alive".
            if (!handle.isAlive() || !Files.exists(pidFile)) {
                return true;
            }
            Thread.sleep(PostgresServer.POLL_INTERVAL.toMillis());
        }
        return false;
    }

    private static Optional<Path> workingDirectory(long pid) {
        try {
            // The postmaster chdirs into its data directory, so its cwd tells which cluster it serves.
            return Optional.of(Path.of("/proc", Long.toString(pid), "cwd").toRealPath());
        } catch (IOException | SecurityException e) {
            return Optional.empty();
        }
    }

}
