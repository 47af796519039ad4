package dev.xenon.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code xenon ca-path} and {@code xenon trust}, run as the launcher runs them; never on the machine's own store. */
class TrustCommandTest {
    @TempDir
    Path temp;

    private record Run(int exitCode, String out, String err) {
    }

    private static Run xenon(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new CliMain());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void caPathAndTrustPrintPathPrintTheCaFileAlone() throws Exception {
        Path dataDir = temp.resolve("data");
        Run caPath = xenon("ca-path", "--data-dir", dataDir.toString());
        Run printPath = xenon("trust", "--print-path", "--data-dir", dataDir.toString());

        String expected = dataDir.resolve("ca.crt") + System.lineSeparator();
        assertThat(caPath).isEqualTo(new Run(0, expected, ""));
        assertThat(printPath).isEqualTo(new Run(0, expected, ""));
        // The path printed is one a client can load: a PEM CA certificate.
        assertThat(Files.readString(dataDir.resolve("ca.crt"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void trustCopiesTheCaIntoTheStoreAndRunsTheUpdate() throws Exception {
        Path dataDir = temp.resolve("data");
        Path store = Files.createDirectory(temp.resolve("ca-certificates"));
        Path marker = temp.resolve("updated");
        Path update = temp.resolve("update-ca-certificates");
        Files.writeString(update, "#!/bin/sh\necho '1 added, 0 removed; done.'\ntouch " + marker + "\n");
        assertThat(update.toFile().setExecutable(true)).isTrue();

        Run trust = xenon("trust", "--data-dir", dataDir.toString(), "--system-store", store.toString(),
                "--update-command", update.toString());

        assertThat(trust.exitCode()).as(trust.err()).isZero();
        try (var files = Files.list(store)) {
            Path installed = files.findFirst().orElseThrow();
            assertThat(installed.getFileName().toString()).matches("xenon-[0-9a-f]{12}\\.crt");
            assertThat(Files.readString(installed)).isEqualTo(Files.readString(dataDir.resolve("ca.crt")));
            assertThat(trust.out()).contains("as " + installed).contains("1 added, 0 removed; done.")
                    .contains("NODE_EXTRA_CA_CERTS=" + dataDir.resolve("ca.crt"));
        }
        assertThat(marker).exists();
    }

    @Test
    void withoutADebianStoreTrustSaysWhatToRun() {
        Path dataDir = temp.resolve("data");
        Run trust = xenon("trust", "--data-dir", dataDir.toString(), "--system-store", temp.resolve("none").toString());

        assertThat(trust.exitCode()).isEqualTo(1);
        assertThat(trust.err()).contains("update-ca-certificates").contains("update-ca-trust")
                .contains(dataDir.resolve("ca.crt").toString());
    }

    @Test
    void aFailedUpdateIsReportedWithItsOutput() throws Exception {
        Path store = Files.createDirectory(temp.resolve("store"));
        Run trust = xenon("trust", "--data-dir", temp.resolve("data").toString(), "--system-store", store.toString(),
                "--update-command", "false");

        assertThat(trust.exitCode()).isEqualTo(1);
        assertThat(trust.err()).contains("`false` failed").contains("as root");
    }
}
