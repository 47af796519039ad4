package dev.xenon.provisioner.local.compute;

import dev.xenon.pgsettings.PgSettingsPolicy;
import dev.xenon.provisioner.Provisioner.ComputeSpec;
import dev.xenon.provisioner.Provisioner.Primary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Postgres settings for a compute, sized from its compute units the way Neon sizes them (docs: "Parameter
 * settings that differ by compute size"), with memory scaled down by a factor so a laptop can run many:
 * <ul>
 *   <li>1 CU is 4 GiB of memory;</li>
 *   <li>max_connections = max(100, min(4000, floor(419.66 x min(max_cu, 8 x min_cu)))), so 104 at 0.25 CU;</li>
 *   <li>max_worker_processes = 12 + floor(2 x max_cu);</li>
 *   <li>shared_buffers = max(128 MB, (1023 + 256 x backends) / 1024 MB), backends = 1 + max_connections +
 *       max_worker_processes;</li>
 *   <li>maintenance_work_mem = max(64 MB, min_cu memory in bytes x 1024 / 63,963,136 kB);</li>
 *   <li>effective_cache_size = 3/4 of max_cu memory (Neon derives it from its local file cache).</li>
 * </ul>
 * The three memory settings are multiplied by the memory scale (1/16 by default: 0.25 CU gets 8 MB of
 * shared_buffers); connection and worker counts are not, so {@code SHOW max_connections} answers as on Neon.
 */
final class ComputeSettings {
    static final long GIB = 1L << 30;
    static final long BYTES_PER_CU = 4 * GIB;
    private static final long MIN_SHARED_BUFFERS_KB = 2 * 1024; // 256 pages: plenty for an idle compute
    private static final long MIN_MAINTENANCE_WORK_MEM_KB = 1024; // Postgres' own minimum

    private static final Logger LOG = LoggerFactory.getLogger(ComputeSettings.class);

    private ComputeSettings() {
    }

    /**
     * Xenon's defaults, then the user's pg_settings that the allow-list accepts (the API refused the rest before
     * storing them; metadata written by an older Xenon may still hold some), then what only Xenon decides, last so
     * that nothing overrides it.
     */
    static Map<String, String> of(ComputeSpec spec, double memoryScale, ComputeFiles files) {
        Map<String, String> settings = new LinkedHashMap<>();
        // Neon's defaults a user may change.
        settings.put("idle_in_transaction_session_timeout", "300000");
        settings.put("maintenance_work_mem", kb(Math.max(MIN_MAINTENANCE_WORK_MEM_KB,
                (long) (maintenanceWorkMemKb(spec.minCu()) * memoryScale))));
        settings.put("effective_cache_size", kb(Math.max(8 * 1024,
                (long) (spec.maxCu() * BYTES_PER_CU * 3 / 4 / 1024 * memoryScale))));
        settings.putAll(allowed(spec));
        settings.putAll(owned(spec, memoryScale, files));
        return settings;
    }

    /** What only Xenon decides: TLS, authentication, replication, WAL, and the compute's size. */
    static Map<String, String> owned(ComputeSpec spec, double memoryScale, ComputeFiles files) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("ssl", "on");
        settings.put("ssl_cert_file", files.certificate().toString());
        settings.put("ssl_key_file", files.privateKey().toString());
        settings.put("hba_file", files.hbaFile().toString());
        settings.put("password_encryption", "scram-sha-256");
        settings.put("wal_level", spec.logicalReplication() ? "logical" : "replica");
        settings.put("hot_standby", "on");
        settings.put("max_replication_slots", "10");
        settings.put("max_wal_senders", "10");
        settings.put("wal_sender_timeout", "10000");
        settings.put("log_connections", "on");

        int connections = maxConnections(spec.minCu(), spec.maxCu());
        int workers = maxWorkerProcesses(spec.maxCu());
        Primary primary = spec.primary();
        if (spec.readOnly() && primary != null) {
            // A hot standby refuses to start with fewer slots than its primary has (docs: "Hot Standby",
            // "Administrator's Overview"), so a replica is never sized below its primary for these.
            connections = Math.max(connections, maxConnections(primary.minCu(), primary.maxCu()));
            workers = Math.max(workers, maxWorkerProcesses(primary.maxCu()));
        }
        settings.put("max_connections", Integer.toString(connections));
        settings.put("max_worker_processes", Integer.toString(workers));
        settings.put("shared_buffers", kb(Math.max(MIN_SHARED_BUFFERS_KB,
                (long) (sharedBuffersMb(connections, workers) * 1024 * memoryScale))));
        return settings;
    }

    private static Map<String, String> allowed(ComputeSpec spec) {
        Map<String, String> allowed = new LinkedHashMap<>();
        PgSettingsPolicy policy = PgSettingsPolicy.bundled();
        spec.pgSettings().forEach((name, value) -> {
            Optional<String> problem = policy.problem(spec.pgVersion(), name, value);
            if (problem.isPresent()) {
                LOG.warn("endpoint {}: ignoring pg_settings entry: {}", spec.endpointId(), problem.get());
            } else {
                allowed.put(name, value);
            }
        });
        return allowed;
    }

    static int maxConnections(double minCu, double maxCu) {
        double size = Math.min(maxCu, 8 * minCu);
        return (int) Math.max(100, Math.min(4000, Math.floor(size * 419.66)));
    }

    static int maxWorkerProcesses(double maxCu) {
        return 12 + (int) Math.floor(2 * maxCu);
    }

    static long sharedBuffersMb(int connections, int workers) {
        long backends = 1L + connections + workers;
        return Math.max(128, (1023 + backends * 256) / 1024);
    }

    static long maintenanceWorkMemKb(double minCu) {
        return Math.max(65_536, (long) (minCu * BYTES_PER_CU * 1024 / 63_963_136));
    }

    private static String kb(long kilobytes) {
        return kilobytes + "kB";
    }
}
