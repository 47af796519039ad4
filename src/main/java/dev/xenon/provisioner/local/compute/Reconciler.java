package dev.xenon.provisioner.local.compute;

import dev.xenon.provisioner.Provisioner.DatabaseSpec;
import dev.xenon.provisioner.Provisioner.RoleSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;
import dev.xenon.provisioner.Refused;
import dev.xenon.provisioner.SqlStates;
import dev.xenon.provisioner.local.postgres.AdminJdbc;
import dev.xenon.provisioner.local.postgres.Superuser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.xenon.provisioner.local.postgres.Sql.execute;
import static dev.xenon.provisioner.local.postgres.Sql.ident;
import static dev.xenon.provisioner.local.postgres.Sql.literal;
import static java.util.Objects.requireNonNull;

/**
 * Brings the roles and databases of a running cluster in line with the metadata, as the internal superuser.
 * Reads what exists first and changes only what differs, so running it again does nothing.
 */
public final class Reconciler {
    /** The role API roles are members of, as on Neon (same name, so dumps taken there restore here). */
    public static final String NEON_SUPERUSER = "neon_superuser";
    /**
     * An empty database made once in each template: a project's first database is this one renamed, which is
     * instant, where CREATE DATABASE copies template1 file by file.
     */
    public static final String SPARE_DATABASE = "xenon_spare";

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    // What ScramVerifier produces and Postgres stores: SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>.
    private static final Pattern VERIFIER =
            Pattern.compile("SCRAM-SHA-256\\$[0-9]{1,7}:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+");

    private record ExistingRole(boolean canLogin, String verifier) {}

    private final AdminJdbc jdbc;

    public Reconciler(AdminJdbc jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc is null");
    }

    /** Applies {@code spec} to the cluster on {@code port}; returns the state to remember for next time. */
    public ReconcileState apply(int port, TimelineSpec spec, ReconcileState previous) throws SQLException {
        requireNonNull(spec, "spec is null");
        requireNonNull(previous, "previous is null");
        try (Connection c = jdbc.open(port, "postgres")) {
            ensureNeonSuperuser(c);
            Map<String, ExistingRole> roles = roles(c);
            Set<String> wantedRoles = new HashSet<>();
            for (RoleSpec role : spec.roles()) {
                wantedRoles.add(role.name());
                applyRole(c, spec.branchId(), role, roles.get(role.name()));
            }
            Map<String, String> databases = databases(c);
            Set<String> wantedNames = new HashSet<>();
            spec.databases().forEach(d -> wantedNames.add(d.name()));
            Set<Long> wantedIds = new HashSet<>();
            for (DatabaseSpec db : spec.databases()) {
                wantedIds.add(db.id());
                applyDatabase(c, spec.branchId(), db, previous.databases().get(db.id()), databases, wantedNames);
            }
            if (databases.containsKey(SPARE_DATABASE)) {
                execute(c, "DROP DATABASE " + ident(SPARE_DATABASE) + " WITH (FORCE)");
            }
            for (Map.Entry<Long, String> managed : previous.databases().entrySet()) {
                String name = managed.getValue();
                if (!wantedIds.contains(managed.getKey()) && !wantedNames.contains(name) && databases.containsKey(name)) {
                    LOG.info("dropping database {} of branch {}", name, spec.branchId());
                    execute(c, "DROP DATABASE " + ident(name) + " WITH (FORCE)");
                    databases.remove(name);
                }
            }
            for (String name : previous.roles()) {
                if (!wantedRoles.contains(name) && roles.containsKey(name) && !reserved(name)) {
                    dropRole(c, port, name);
                }
            }
        }
        return ReconcileState.of(spec);
    }

    static boolean reserved(String role) {
        return role.startsWith("pg_") || role.equals(Superuser.NAME) || role.equals(NEON_SUPERUSER);
    }

    private void applyRole(Connection c, String branchId, RoleSpec role, ExistingRole existing)
            throws SQLException {
        if (reserved(role.name())) {
            // Never created nor dropped by us, whether it exists or not: refusing it loses nothing.
            throw new Refused(Refused.Kind.ROLE, branchId, role.name(), "the name is reserved", null);
        }
        String verifier = role.scramVerifier();
        if (verifier != null && !VERIFIER.matcher(verifier).matches()) {
            String reason = "the password verifier is not a SCRAM-SHA-256 verifier";
            if (existing == null) {
                throw new Refused(Refused.Kind.ROLE, branchId, role.name(), reason, null);
            }
            throw new IllegalArgumentException("role '" + role.name() + "': " + reason);
        }
        String password = verifier == null ? "PASSWORD NULL" : "PASSWORD " + literal(verifier);
        String login = role.noLogin() ? "NOLOGIN" : "LOGIN";
        if (existing == null) {
            create(c, Refused.Kind.ROLE, branchId, role.name(), "CREATE ROLE " + ident(role.name()) + " WITH " + login
                    + " CREATEDB CREATEROLE BYPASSRLS " + password + " IN ROLE " + ident(NEON_SUPERUSER));
            return;
        }
        if (existing.canLogin() == role.noLogin()) {
            execute(c, "ALTER ROLE " + ident(role.name()) + " WITH " + login);
        }
        if (!Objects.equals(existing.verifier(), verifier)) {
            execute(c, "ALTER ROLE " + ident(role.name()) + " WITH " + password);
        }
    }

    private void applyDatabase(Connection c, String branchId, DatabaseSpec db, String previousName,
                               Map<String, String> databases, Set<String> wantedNames) throws SQLException {
        if (!databases.containsKey(db.name())) {
            if (previousName != null && databases.containsKey(previousName) && !wantedNames.contains(previousName)) {
                // Renaming needs the database to have no sessions; Neon ends them too.
                terminate(c, "datname", previousName);
                execute(c, "ALTER DATABASE " + ident(previousName) + " RENAME TO " + ident(db.name()));
                databases.put(db.name(), databases.remove(previousName));
            } else if (databases.containsKey(SPARE_DATABASE) && !db.name().equals(SPARE_DATABASE)) {
                create(c, Refused.Kind.DATABASE, branchId, db.name(),
                        "ALTER DATABASE " + ident(SPARE_DATABASE) + " RENAME TO " + ident(db.name()));
                databases.put(db.name(), databases.remove(SPARE_DATABASE));
            } else {
                create(c, Refused.Kind.DATABASE, branchId, db.name(),
                        "CREATE DATABASE " + ident(db.name()) + " OWNER " + ident(db.ownerName()));
                databases.put(db.name(), db.ownerName());
            }
        }
        if (!db.ownerName().equals(databases.get(db.name()))) {
            execute(c, "ALTER DATABASE " + ident(db.name()) + " OWNER TO " + ident(db.ownerName()));
            databases.put(db.name(), db.ownerName());
        }
    }

    /**
     * Creates an object that does not exist yet. When Postgres rejects the statement for what it says (a reserved
     * or duplicate name, an unknown owner), the object is {@link Refused}, so the caller can drop it from the
     * desired state instead of failing on it forever.
     */
    private static void create(Connection c, Refused.Kind kind, String branchId, String name, String sql)
            throws SQLException {
        try {
            execute(c, sql);
        } catch (SQLException e) {
            if (SqlStates.permanent(e.getSQLState())) {
                throw new Refused(kind, branchId, name, e.getMessage() + " (SQLSTATE " + e.getSQLState() + ")", e);
            }
            throw e;
        }
    }

    /** Objects the role owns go to each database's owner, its privileges go away, then the role itself. */
    private void dropRole(Connection c, int port, String role) throws SQLException {
        LOG.info("dropping role {}", role);
        terminate(c, "usename", role);
        Map<String, String> databases = new LinkedHashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "select datname, pg_get_userbyid(datdba) from pg_database where datallowconn order by datname");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                databases.put(rs.getString(1), rs.getString(2));
            }
        }
        for (Map.Entry<String, String> db : databases.entrySet()) {
            String heir = db.getValue().equals(role) ? Superuser.NAME : db.getValue();
            try (Connection inDb = jdbc.open(port, db.getKey())) {
                execute(inDb, "REASSIGN OWNED BY " + ident(role) + " TO " + ident(heir));
                execute(inDb, "DROP OWNED BY " + ident(role));
            }
        }
        execute(c, "DROP ROLE IF EXISTS " + ident(role));
    }

    private static void terminate(Connection c, String column, String value) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity where "
                + column + " = ? and pid <> pg_backend_pid()")) {
            q.setString(1, value);
            q.execute();
        }
    }

    public static void ensureNeonSuperuser(Connection c) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            q.setString(1, NEON_SUPERUSER);
            try (ResultSet rs = q.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        execute(c, "CREATE ROLE " + ident(NEON_SUPERUSER) + " WITH NOLOGIN CREATEDB CREATEROLE REPLICATION BYPASSRLS"
                + " IN ROLE pg_read_all_data, pg_write_all_data, pg_monitor, pg_signal_backend");
    }

    private static Map<String, ExistingRole> roles(Connection c) throws SQLException {
        Map<String, ExistingRole> roles = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement("select rolname, rolcanlogin, rolpassword from pg_authid");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                roles.put(rs.getString(1), new ExistingRole(rs.getBoolean(2), rs.getString(3)));
            }
        }
        return roles;
    }

    private static Map<String, String> databases(Connection c) throws SQLException {
        Map<String, String> databases = new HashMap<>();
        try (PreparedStatement q = c.prepareStatement(
                "select datname, pg_get_userbyid(datdba) from pg_database where not datistemplate");
             ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
                databases.put(rs.getString(1), rs.getString(2));
            }
        }
        return databases;
    }
}
