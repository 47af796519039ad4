package dev.xenon.control.roles;

import dev.xenon.control.Access;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.Ids;
import dev.xenon.control.access.BranchScope.Target;
import dev.xenon.control.access.BranchScope;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.Role;
import dev.xenon.control.model.RoleStore;
import dev.xenon.control.model.ScramVerifier;
import dev.xenon.operations.Operation;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Postgres roles of a branch. A new role's password is returned once; it is kept only if the project says so. */
public final class RoleService {
    public record Result(Role role, String password, List<Operation> operations) {}

    private final Db db;
    private final BranchScope scope;
    private final RoleStore roles;
    private final DatabaseStore databases;
    private final Ids ids;
    private final Clock clock;

    public RoleService(Db db, BranchScope scope, RoleStore roles, DatabaseStore databases, Ids ids, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.scope = scope;
        this.roles = roles;
        this.databases = databases;
        this.ids = ids;
        this.clock = clock;
    }

    /**
     * Names Postgres gives a meaning in role positions (GRANT ... TO PUBLIC, SET ROLE NONE, CURRENT_USER, ...) and
     * refuses to create, in any case, since unquoted they are the keyword.
     */
    private static final Set<String> SQL_RESERVED = Set.of("public", "none", "current_user", "current_role",
            "session_user", "system_user");
    /** Roles every Xenon cluster has: the internal superuser, Neon's role for API roles, initdb's default. */
    public static final Set<String> XENON_RESERVED = Set.of("xenon_admin", "neon_superuser", "postgres");

    public static void checkName(String field, String name) {
        Check.identifier(field, name);
        if (name.startsWith("pg_")) {
            throw DomainException.invalid(field + " must not start with 'pg_': Postgres reserves that prefix");
        }
        if (SQL_RESERVED.contains(name.toLowerCase(Locale.ROOT))) {
            throw DomainException.invalid(field + " '" + name + "' is reserved: Postgres uses it as a keyword for"
                    + " roles");
        }
        if (XENON_RESERVED.contains(name)) {
            throw DomainException.invalid(field + " '" + name + "' is reserved for the system");
        }
    }

    public Result create(Access access, String projectId, String branchId, String name, boolean noLogin) {
        checkName("role.name", name);
        return db.write(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, true);
            if (roles.find(h, branchId, name).isPresent()) {
                throw DomainException.conflict("role '" + name + "' already exists in branch " + branchId);
            }
            Instant now = clock.instant();
            String password = noLogin ? null : ids.rolePassword();
            Role role = newRole(h, branchId, name, password, target.project().storePasswords(), noLogin, now);
            return new Result(role, password, scope.applyConfig(h, target, now));
        });
    }

    /** Inserts a role inside the caller's transaction. */
    public Role newRole(Handle h, String branchId, String name, String password, boolean storePassword,
                        boolean noLogin, Instant now) {
        Role role = new Role(branchId, name, storePassword ? password : null,
                password == null ? null : ScramVerifier.of(password), false, noLogin, now, now);
        roles.insert(h, role);
        return role;
    }

    public List<Role> list(Access access, String projectId, String branchId) {
        return db.read(h -> {
            scope.resolve(h, access, projectId, branchId, false);
            return roles.list(h, branchId);
        });
    }

    public Role get(Access access, String projectId, String branchId, String name) {
        return db.read(h -> {
            scope.resolve(h, access, projectId, branchId, false);
            return role(h, branchId, name);
        });
    }

    public Result delete(Access access, String projectId, String branchId, String name) {
        return db.write(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, true);
            Role role = role(h, branchId, name);
            if (databases.ownedBy(h, branchId, name)) {
                throw DomainException.conflict("role '" + name + "' owns databases in branch " + branchId
                        + "; delete them or change their owner first");
            }
            roles.delete(h, branchId, name);
            return new Result(role, null, scope.applyConfig(h, target, clock.instant()));
        });
    }

    public String revealPassword(Access access, String projectId, String branchId, String name) {
        return db.read(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, false);
            Role role = role(h, branchId, name);
            if (!target.project().storePasswords()) {
                throw new DomainException.PreconditionFailed("project " + projectId
                        + " does not store role passwords (store_passwords is false); reset the password instead");
            }
            if (role.password() == null) {
                throw DomainException.notFound("role '" + name + "' has no password (it cannot log in)");
            }
            return role.password();
        });
    }

    public Result resetPassword(Access access, String projectId, String branchId, String name) {
        return db.write(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, true);
            role(h, branchId, name);
            Instant now = clock.instant();
            String password = ids.rolePassword();
            roles.setPassword(h, branchId, name, target.project().storePasswords() ? password : null,
                    ScramVerifier.of(password), now);
            return new Result(role(h, branchId, name), password, scope.applyConfig(h, target, now));
        });
    }

    private Role role(Handle h, String branchId, String name) {
        return roles.find(h, branchId, name)
                .orElseThrow(() -> DomainException.notFound("role '" + name + "' not found in branch " + branchId));
    }
}
