package dev.xenon.provisioner.local.copy;

import dev.xenon.provisioner.local.postgres.AdminJdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static dev.xenon.provisioner.local.postgres.Sql.execute;
import static java.util.Objects.requireNonNull;

/**
 * Turns a copy of a branch into a schema-only one: every object stays, every user table loses its rows. The
 * binaries we ship have no pg_dump, so instead of restoring a schema dump this empties the copy in place, which
 * keeps everything a dump would (grants, comments, sequences, functions, extensions) by construction.
 */
public final class SchemaOnly {
    // Ordinary and partitioned tables outside the system schemas, except those that belong to an extension:
    // those hold the extension's own configuration (e.g. PostGIS' spatial_ref_sys), not user data.
    private static final String USER_TABLES = """
            select format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind in ('r', 'p') and c.relpersistence <> 't'
              and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_toast%'
              and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                              and d.objid = c.oid and d.deptype = 'e')
            order by 1""";
    private static final String MATERIALIZED_VIEWS = """
            select format('%I.%I', n.nspname, c.relname)
            from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where c.relkind = 'm' and c.relispopulated order by c.oid""";

    private final AdminJdbc jdbc;

    public SchemaOnly(AdminJdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    public void emptyAllDatabases(int port) throws SQLException {
        List<String> databases = new ArrayList<>();
        try (Connection c = jdbc.open(port, "postgres");
             PreparedStatement q = c.prepareStatement("select datname from pg_database where datallowconn");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                databases.add(rs.getString(1));
            }
        }
        for (String database : databases) {
            try (Connection c = jdbc.open(port, database)) {
                empty(c);
            }
        }
    }

    private static void empty(Connection c) throws SQLException {
        List<String> tables = list(c, USER_TABLES);
        if (!tables.isEmpty()) {
            // One statement for all, so foreign keys between them are no obstacle; sequences owned by their
            // columns restart, as in a fresh restore of the schema.
            execute(c, "TRUNCATE " + String.join(", ", tables) + " RESTART IDENTITY");
        }
        // Materialized views hold rows too: recompute them from the now empty tables, in creation order so
        // that one built on another sees it refreshed.
        for (String view : list(c, MATERIALIZED_VIEWS)) {
            execute(c, "REFRESH MATERIALIZED VIEW " + view);
        }
        execute(c, "select lo_unlink(oid) from pg_largeobject_metadata");
    }

    private static List<String> list(Connection c, String sql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
