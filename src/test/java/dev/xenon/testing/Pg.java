package dev.xenon.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** Connects with the JDBC driver to a connection URI exactly as the API returned it. */
public final class Pg {
    private Pg() {}

    public static Connection connect(String uri) throws SQLException {
        return connect(uri, new Properties());
    }

    public static Connection connect(String uri, Properties extra) throws SQLException {
        URI parsed = URI.create(uri);
        String[] userInfo = parsed.getRawUserInfo().split(":", 2);
        Properties props = new Properties();
        props.setProperty("user", URLDecoder.decode(userInfo[0], StandardCharsets.UTF_8));
        props.setProperty("password", URLDecoder.decode(userInfo[1], StandardCharsets.UTF_8));
        for (String pair : parsed.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            // pgjdbc spells libpq's channel_binding as channelBinding; sslmode is the same in both.
            props.setProperty(kv[0].equals("channel_binding") ? "channelBinding" : kv[0], kv[1]);
        }
        props.putAll(extra);
        return DriverManager.getConnection("jdbc:postgresql://" + parsed.getHost() + ":" + parsed.getPort()
                + parsed.getRawPath(), props);
    }

    public static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
