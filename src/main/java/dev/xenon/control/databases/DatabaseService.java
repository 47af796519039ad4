package dev.xenon.control.databases;

import dev.xenon.control.Access;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.access.BranchScope.Target;
import dev.xenon.control.access.BranchScope;
import dev.xenon.control.model.Database;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.operations.Operation;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/** Databases of a branch, each owned by one of the branch's roles. */
public final class DatabaseService {
    public record Result(Database database, List<Operation> operations) {}

    /** initdb's three, and the spare each template keeps for a quick first database (the data plane's). */
    public static final Set<String> SYSTEM_DATABASES = Set.of("postgres", "template0", "template1", "xenon_spare");

    private final Db db;
    private final BranchScope scope;
    private final DatabaseStore databases;
    private final RoleStore roles;
    private final Clock clock;

    public DatabaseService(Db db, BranchScope scope, DatabaseStore databases, RoleStore roles, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.scope = scope;
        this.databases = databases;
        this.roles = roles;
        this.clock = clock;
    }

    public static void checkName(String field, String name) {
        Check.identifier(field, name);
        if (SYSTEM_DATABASES.contains(name)) {
            throw DomainException.invalid(field + " '" + name + "' is reserved for the system");
        }
    }

    public Result create(Access access, String projectId, String branchId, String name, String owner) {
        checkName("database.name", name);
        Check.required("database.owner_name", owner);
        return db.write(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, true);
            requireRole(h, branchId, owner);
            if (databases.find(h, branchId, name).isPresent()) {
                throw DomainException.conflict("database '" + name + "' already exists in branch " + branchId);
            }
            Instant now = clock.instant();
            Database created = databases.insert(h, branchId, name, owner, now);
            return new Result(created, scope.applyConfig(h, target, now));
        });
    }

    public List<Database> list(Access access, String projectId, String branchId) {
        return db.read(h -> {
            scope.resolve(h, access, projectId, branchId, false);
            return databases.list(h, branchId);
        });
    }

    public Database get(Access access, String projectId, String branchId, String name) {
        return db.read(h -> {
            scope.resolve(h, access, projectId, branchId, false);
            return database(h, branchId, name);
        });
    }

    public Result update(Access access, String projectId, String branchId, String name, String newName,
                         String newOwner) {
        if (newName != null) {
            checkName("database.name", newName);
        }
        return db.write(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, true);
            Database current = database(h, branchId, name);
            if (newOwner != null) {
                requireRole(h, branchId, newOwner);
            }
            if (newName != null && !newName.equals(name) && databases.find(h, branchId, newName).isPresent()) {
                throw DomainException.conflict("database '" + newName + "' already exists in branch " + branchId);
            }
            Instant now = clock.instant();
            Database updated = databases.update(h, current.id(), newName == null ? current.name() : newName,
                    newOwner == null ? current.ownerName() : newOwner, now);
            return new Result(updated, scope.applyConfig(h, target, now));
        });
    }

    public Result delete(Access access, String projectId, String branchId, String name) {
        return db.write(h -> {
            Target target = scope.resolve(h, access, projectId, branchId, true);
            Database current = database(h, branchId, name);
            databases.delete(h, current.id());
            return new Result(current, scope.applyConfig(h, target, clock.instant()));
        });
    }

    private void requireRole(Handle h, String branchId, String owner) {
        if (roles.find(h, branchId, owner).isEmpty()) {
            throw DomainException.invalid("database.owner_name '" + owner + "' is not a role of branch " + branchId);
        }
    }

    private Database database(Handle h, String branchId, String name) {
        return databases.find(h, branchId, name)
                .orElseThrow(() -> DomainException.notFound("database '" + name + "' not found in branch " + branchId));
    }
}
