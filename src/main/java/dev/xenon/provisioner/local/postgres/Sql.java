package dev.xenon.provisioner.local.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Quoting for the statements that cannot take bind parameters (DDL). Every identifier goes through
 * {@link #ident} and every value through {@link #literal}; nothing else is ever spliced into SQL.
 */
public final class Sql {
    private Sql() {
    }

    /** A quoted identifier: double quotes, inner ones doubled (docs: "Identifiers and Key Words"). */
    public static String ident(String name) {
        if (name == null || name.isEmpty() || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid SQL identifier: '" + name + "'");
        }
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * A string constant: single quotes, inner ones doubled. Backslashes stay literal because
     * standard_conforming_strings is on (the default since 9.1, and we never turn it off).
     */
    public static String literal(String value) {
        if (value == null || value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not a valid SQL string value");
        }
        return "'" + value.replace("'", "''") + "'";
    }

    public static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
