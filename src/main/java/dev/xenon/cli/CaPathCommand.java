package dev.xenon.cli;

import dev.xenon.proxy.tls.LocalAuthority;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code xenon ca-path}: the path of the local CA's certificate, for {@code NODE_EXTRA_CA_CERTS=$(xenon ca-path)}.
 * Creates the CA when the data directory has none yet, as the server's first start would, so that the path
 * printed is always one a client can load.
 */
@Command(name = "ca-path", mixinStandardHelpOptions = true,
        description = "Print the path of the local CA certificate (<data-dir>/ca.crt) that clients trust.")
final class CaPathCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "State directory (default: ${DEFAULT-VALUE})", defaultValue = "./.xenon")
    Path dataDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(authority(dataDir).certificateFile());
        return 0;
    }

    static LocalAuthority authority(Path dataDir) {
        return LocalAuthority.loadOrCreate(dataDir.toAbsolutePath().normalize());
    }
}
