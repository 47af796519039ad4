package dev.xenon.provisioner.local.postgres;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/** Opens connections to a local cluster as the internal superuser, over loopback TCP. */
public final class AdminJdbc {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final Superuser superuser;

    public AdminJdbc(Superuser superuser) {
        this.superuser = requireNonNull(superuser, "superuser is null");
    }

    public Connection open(int port, String database) throws SQLException {
        requireNonNull(database, "database is null");
        Properties props = new Properties();
        props.setProperty("user", superuser.name());
        props.setProperty("password", superuser.password());
        // Loopback only, and the internal superuser's pg_hba line needs no TLS: skip the handshake's cost.
        props.setProperty("sslmode", "disable");
        props.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        props.setProperty("ApplicationName", "xenon");
        props.setProperty("assumeMinServerVersion", "14");
        String db = URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + db, props);
    }

    Superuser superuser() {
        return superuser;
    }
}
