package dev.xenon.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

/**
 * A direct connection to a running server's embedded metadata store, for tests that must put there what the API
 * would refuse (state written by an older version, or by hand).
 */
public final class MetaStore {
    // postmaster.pid line 4 (0-based 3) is the port.
    private static final int PORT_LINE = 3;

    private MetaStore() {}

    public static Connection connect(Path dataDir) throws IOException, SQLException {
        Path meta = dataDir.resolve("meta");
        List<String> pidFile = Files.readAllLines(meta.resolve("data/postmaster.pid"));
        int port = Integer.parseInt(pidFile.get(PORT_LINE).strip());
        String password = Files.readString(meta.resolve("password")).strip();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/xenon", "xenon", password);
    }
}
