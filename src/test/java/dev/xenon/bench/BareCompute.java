package dev.xenon.bench;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.provisioner.local.postgres.Distribution;
import dev.xenon.provisioner.local.postgres.FreePort;
import dev.xenon.provisioner.local.postgres.OsUser;
import dev.xenon.provisioner.local.postgres.PostgresServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline: Postgres started by hand, without Xenon, on a copy of a suspended compute's data directory, with
 * the very settings that compute ran with (its {@code postmaster.opts}), as the same OS account.
 */
final class BareCompute {
    private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final Distribution dist = PgTestSupport.dist();
    private final Optional<OsUser> user = PgTestSupport.user();
    private final Path dir;
    private final Path log;
    private final Map<String, String> settings;

    private BareCompute(Path dir, Path log, Map<String, String> settings) {
        this.dir = dir;
        this.log = log;
        this.settings = settings;
    }

    /**
     * Copies {@code pgdata} (cleanly shut down) to {@code target}, replacing an earlier copy there. The
     * settings come from the postmaster.opts the compute left behind.
     */
    static BareCompute copyOf(Path pgdata, Path target) {
        try {
            if (Files.exists(target)) {
                run(List.of("rm", "-rf", target.toString()));
            }
            if (Files.exists(pgdata.resolve("postmaster.pid"))) {
                throw new IllegalStateException(pgdata + " is in use; suspend its compute first");
            }
            run(List.of("cp", "-a", "--reflink=auto", pgdata.toString(), target.toString()));
            Map<String, String> settings = new LinkedHashMap<>();
            List<String> args = new ArrayList<>();
            Matcher m = QUOTED.matcher(Files.readString(pgdata.resolve("postmaster.opts")));
            while (m.find()) {
                args.add(m.group(1));
            }
            for (int i = 0; i < args.size() - 1; i++) {
                if (args.get(i).equals("-c")) {
                    String[] kv = args.get(i + 1).split("=", 2);
                    if (!kv[0].equals("listen_addresses") && !kv[0].equals("unix_socket_directories")) {
                        settings.put(kv[0], kv[1]);
                    }
                }
            }
            if (settings.isEmpty()) {
                throw new IllegalStateException("no settings in " + pgdata.resolve("postmaster.opts"));
            }
            Path log = target.resolveSibling(target.getFileName() + ".log");
            Files.deleteIfExists(log);
            Files.createFile(log);
            PgTestSupport.user().ifPresent(u -> u.chown(log));
            return new BareCompute(target, log, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops a bare postmaster still running on {@code dir} (a run interrupted mid-measurement): its pid from
     * postmaster.pid, a fast shutdown, waiting up to 30 s.
     */
    static void stopLeftover(Path dir) {
        Optional<Long> pid = PgTestSupport.postmasterPid(dir);
        if (pid.isEmpty() || !PgTestSupport.processAlive(pid.get())) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(pid.get())).start().waitFor();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (PgTestSupport.processAlive(pid.get()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<String, String> settings() {
        return settings;
    }

    /**
     * Spawns {@code postgres} and connects directly every millisecond until {@code SELECT 1} is answered: the
     * tightest "start to first query" there is. {@code uri} is any URI of the compute; its port is replaced.
     */
    double spawnToFirstQuery(String uri) {
        int port = FreePort.pick();
        List<String> command = new ArrayList<>(List.of(dist.bin("postgres").toString(), "-D", dir.toString(),
                "-p", Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="));
        settings.forEach((k, v) -> {
            command.add("-c");
            command.add(k + "=" + v);
        });
        ProcessBuilder builder = new ProcessBuilder(user.map(u -> u.wrap(command)).orElse(command))
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process process = null;
        try {
            long start = System.nanoTime();
            process = builder.start();
            Bench.selectOneRetrying(Bench.atPort(uri, port), 60_000);
            return Bench.millisSince(start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (process != null) {
                fastShutdown(process);
            }
        }
    }

    /** Xenon's own {@link PostgresServer#start} (what a compute start runs), then the first query. */
    double[] postgresServerStart(String uri) {
        PostgresServer server = new PostgresServer(dist, user, dir);
        try {
            long start = System.nanoTime();
            server.start(FreePort.pick(), settings, log);
            double started = Bench.millisSince(start);
            Bench.selectOneRetrying(Bench.atPort(uri, server.port()), 60_000);
            return new double[] {started, Bench.millisSince(start)};
        } finally {
            server.stop();
        }
    }

    /** {@code pg_ctl start -w}, the way a person starts Postgres by hand. */
    double pgCtlStart() {
        StringBuilder options = new StringBuilder("-p " + FreePort.pick()
                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''");
        settings.forEach((k, v) -> options.append(" -c ").append(k).append("='").append(v.replace("'", "'\\''"))
                .append("'"));
        String pgCtl = dist.bin("pg_ctl").toString();
        List<String> start = List.of(pgCtl, "-D", dir.toString(), "-l", log.toString(), "-w", "-t", "60",
                "-o", options.toString(), "start");
        long t0 = System.nanoTime();
        runAsPostgres(start);
        double elapsed = Bench.millisSince(t0);
        runAsPostgres(List.of(pgCtl, "-D", dir.toString(), "-m", "fast", "-w", "stop"));
        return elapsed;
    }

    private void runAsPostgres(List<String> command) {
        run(user.map(u -> u.wrap(command)).orElse(command), dir);
    }

    private static void fastShutdown(Process process) {
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    static void run(List<String> command) {
        run(command, null);
    }

    private static void run(List<String> command, Path workDir) {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            if (workDir != null) {
                builder.directory(workDir.toFile());
            }
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException(command + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
