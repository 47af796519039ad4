package dev.xenon.server;

import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.testing.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One server per data directory, whether the second one runs in this process or in another. */
class DataDirLockTest {
    @TempDir
    Path dir;

    private record Probe(int exitCode, String stderr) {}

    private static Process spawn(Path dataDir, String... extra) throws IOException {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                LockProbe.class.getName(), dataDir.toString()));
        command.addAll(List.of(extra));
        return new ProcessBuilder(command).start();
    }

    private static Probe probe(Path dataDir) throws Exception {
        Process process = spawn(dataDir);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Probe(process.exitValue(), new String(process.getErrorStream().readAllBytes(),
                StandardCharsets.UTF_8));
    }

    @Test
    void aSecondAcquirerInThisProcessIsRefusedAndTheLockStaysHeldAgainstOthers() throws Exception {
        Path data = dir.resolve("data");
        long self = ProcessHandle.current().pid();
        try (DataDirLock held = DataDirLock.acquire(data)) {
            assertThatThrownBy(() -> DataDirLock.acquire(data)).isInstanceOf(DataDirLock.DataDirInUse.class)
                    .hasMessageContaining("pid " + self).hasMessageContaining(data.toString());
            // The refusal must not have opened (and so, closed) the lock file: that would drop our POSIX lock.
            Probe other = probe(data);
            assertThat(other.exitCode()).as(other.stderr()).isEqualTo(3);
            assertThat(other.stderr()).contains("in use by another Xenon server (pid " + self + ")");
            assertThat(Files.readString(data.resolve(DataDirLock.LOCK_FILE)).strip()).isEqualTo(Long.toString(self));
        }
        assertThat(probe(data).exitCode()).as("free once released").isZero();
        try (DataDirLock again = DataDirLock.acquire(data)) {
            assertThat(again).isNotNull();
        }
    }

    @Test
    void twoLocksOfOneProcessRaceAndTheLoserIsRefusedCleanly() {
        Path data = dir.resolve("data");
        try (DataDirLock held = DataDirLock.acquire(data)) {
            // As if a second server had read the owner file before the first wrote it.
            assertThat(data.resolve(DataDirLock.OWNER_FILE).toFile().delete()).isTrue();
            assertThatThrownBy(() -> DataDirLock.acquire(data)).isInstanceOf(DataDirLock.DataDirInUse.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
        }
    }

    @Test
    void aKilledHolderLeavesNoStaleLock() throws Exception {
        Path data = dir.resolve("data");
        Process holder = spawn(data, "hold");
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> DataDirLock.acquire(data)).isInstanceOf(DataDirLock.DataDirInUse.class)
                    .hasMessageContaining("(pid " + holder.pid() + ")");
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        try (DataDirLock taken = DataDirLock.acquire(data)) {
            assertThat(Files.readString(data.resolve(DataDirLock.OWNER_FILE)))
                    .startsWith(ProcessHandle.current().pid() + " ");
        }
    }

    @Test
    void aSecondServerInThisProcessRefusesAndTheFirstKeepsServing() {
        try (TestServer first = TestServer.start()) {
            long metaPid = PgTestSupport.postmasterPid(first.dataDir().resolve("meta/data")).orElseThrow();
            ServerConfig same = TestServer.testDefaults(first.dataDir());
            long started = System.nanoTime();
            assertThatThrownBy(() -> ServerMain.start(same).close()).isInstanceOf(DataDirLock.DataDirInUse.class)
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());
            assertThat((System.nanoTime() - started) / 1_000_000).as("refused at once").isLessThan(2_000);
            assertThat(PgTestSupport.postmasterPid(first.dataDir().resolve("meta/data"))).contains(metaPid);
            assertThat(PgTestSupport.processAlive(metaPid)).isTrue();
            first.client().get("/projects").expect(200);
        }
    }
}
