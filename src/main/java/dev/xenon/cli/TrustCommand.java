package dev.xenon.cli;

import dev.xenon.proxy.tls.LocalAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code xenon trust}: installs the local CA into the system trust store, as {@code mkcert -install} does. Only
 * Debian's layout is automated ({@code update-ca-certificates}); elsewhere, and without the right to write the
 * store, it says exactly what to run.
 */
@Command(name = "trust", mixinStandardHelpOptions = true,
        description = "Install the local CA certificate into the system trust store (Debian/Ubuntu, as root).")
final class TrustCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "State directory (default: ${DEFAULT-VALUE})", defaultValue = "./.xenon")
    Path dataDir;

    @Option(names = "--print-path", description = "Only print the CA certificate's path (as `xenon ca-path` does)")
    boolean printPath;

    // For tests, which must not change the machine's trust store.
    @Option(names = "--system-store", hidden = true, defaultValue = "/usr/local/share/ca-certificates")
    Path systemStore;

    @Option(names = "--update-command", hidden = true, defaultValue = "update-ca-certificates")
    String updateCommand;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LocalAuthority ca = CaPathCommand.authority(dataDir);
        if (printPath) {
            out.println(ca.certificateFile());
            return 0;
        }
        Path target = systemStore.resolve("xenon-" + ca.shortFingerprint() + ".crt");
        if (!Files.isDirectory(systemStore)) {
            err.println("No Debian-style trust store (" + systemStore + ") here. Trust " + ca.certificateFile()
                    + " by hand:\n" + TrustAdvice.byHand(ca));
            return 1;
        }
        if (!Files.isWritable(systemStore)) {
            err.println("Not allowed to write " + systemStore + ". As root, run:\n  sudo cp " + ca.certificateFile()
                    + " " + target + " && sudo update-ca-certificates");
            return 1;
        }
        Files.copy(ca.certificateFile(), target, StandardCopyOption.REPLACE_EXISTING);
        // update-ca-certificates reads the store as root but links from a world-readable /etc/ssl/certs.
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Process update = new ProcessBuilder(updateCommand).redirectErrorStream(true).start();
        String said = new String(update.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!update.waitFor(120, TimeUnit.SECONDS) || update.exitValue() != 0) {
            err.println("Copied the CA to " + target + ", but `" + updateCommand + "` failed:\n" + said
                    + "\nRun it as root to finish.");
            return 1;
        }
        out.println("Installed Xenon's local CA (SHA-256 " + ca.fingerprint() + ") as " + target
                + " and ran " + updateCommand + (said.isEmpty() ? "" : ": " + said.lines().reduce((a, b) -> b).orElse("")));
        out.println("OpenSSL, curl and libpq 16+ with sslrootcert=system now trust it. Node.js, Java and older libpq\n"
                + "keep their own lists; for them:\n" + TrustAdvice.ways(ca.certificateFile()));
        return 0;
    }
}
