package dev.xenon.proxy;

import dev.xenon.control.model.ScramVerifier;
import dev.xenon.provisioner.local.PgTestSupport;
import dev.xenon.provisioner.local.postgres.FreePort;
import dev.xenon.provisioner.local.postgres.InitDb;
import dev.xenon.provisioner.local.postgres.PostgresServer;

import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;

/**
 * A real Postgres standing in for a compute, a role created with a SCRAM verifier (as Xenon creates roles), a
 * {@link FakeDirectory} pointing at it, and a proxy on ephemeral ports with domain {@value #DOMAIN}.
 */
final class ProxyTestBed implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-secret";
    static final String ROLE = "alice";
    static final String PASSWORD = "alice-Secret-42";
    static final String DATABASE = "appdb";
    static final String DOMAIN = "example.test";
    static final String ENDPOINT = "ep-cool-darkness-123456";

    final PostgresServer postgres;
    final FakeDirectory directory;
    final ProxyConfig config;
    final ProxyServer proxy;
    final int endpointPort;

    ProxyTestBed(Path temp) throws SQLException {
        Path root = PgTestSupport.traversable(temp);
        new InitDb(PgTestSupport.dist(), PgTestSupport.user()).run(root.resolve("data"), "admin", ADMIN_PASSWORD, true);
        postgres = new PostgresServer(PgTestSupport.dist(), PgTestSupport.user(), root.resolve("data"));
        postgres.start(0, Map.of("max_connections", "60"), root.resolve("postgres.log"));
        String verifier = ScramVerifier.of(PASSWORD);
        try (Connection c = DriverManager.getConnection(directUrl("postgres"), "admin", ADMIN_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("create role " + ROLE + " login password '" + verifier + "'");
            s.execute("create database " + DATABASE + " owner " + ROLE);
        }
        directory = new FakeDirectory(new ComputeAddress("127.0.0.1", postgres.port()));
        directory.verifiers.put(ROLE, verifier);
        endpointPort = FreePort.pick();
        directory.add(ENDPOINT, endpointPort);

        // Plaintext allowed on purpose: protocol tests read the wire in the clear. A default proxy refuses it
        // (ProxyAuthAndRoutingTest#defaultProxyRefusesPlaintext).
        config = ProxyConfig.defaults(0, root.resolve("tls"))
                .withListenAddress(InetAddress.getLoopbackAddress())
                .withDomain(DOMAIN)
                .withRequireTls(false);
        proxy = new ProxyServer(config, directory);
        proxy.start();
        proxy.addEndpointPort(endpointPort);
    }

    String directUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/" + database + "?sslmode=disable";
    }

    /** A JDBC connection to the proxy's main port with these extra properties. */
    Connection connect(String password, String... properties) throws SQLException {
        return connectTo(proxy.port(), DATABASE, password, properties);
    }

    Connection connectTo(int port, String database, String password, String... properties) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", ROLE);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "20");
        props.setProperty("gssEncMode", "disable");
        for (int i = 0; i < properties.length; i += 2) {
            props.setProperty(properties[i], properties[i + 1]);
        }
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, props);
    }

    @Override
    public void close() {
        proxy.close();
        postgres.stop();
    }
}
