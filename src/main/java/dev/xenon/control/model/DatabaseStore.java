package dev.xenon.control.model;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.xenon.store.Rows.instant;

public final class DatabaseStore {
    private static final String COLUMNS = "id, branch_id, name, owner_name, created_at, updated_at";

    public Database insert(Handle h, String branchId, String name, String owner, Instant at) {
        return h.createQuery("insert into databases (branch_id, name, owner_name, created_at, updated_at) "
                        + "values (:branch, :name, :owner, :at, :at) returning " + COLUMNS)
                .bind("branch", branchId).bind("name", name).bind("owner", owner).bind("at", at)
                .map((rs, ctx) -> map(rs)).one();
    }

    public Database update(Handle h, long id, String name, String owner, Instant at) {
        return h.createQuery("update databases set name = :name, owner_name = :owner, updated_at = :at "
                        + "where id = :id returning " + COLUMNS)
                .bind("id", id).bind("name", name).bind("owner", owner).bind("at", at)
                .map((rs, ctx) -> map(rs)).one();
    }

    public void delete(Handle h, long id) {
        h.createUpdate("delete from databases where id = :id").bind("id", id).execute();
    }

    public Optional<Database> find(Handle h, String branchId, String name) {
        return h.createQuery("select " + COLUMNS + " from databases where branch_id = :branch and name = :name")
                .bind("branch", branchId).bind("name", name).map((rs, ctx) -> map(rs)).findOne();
    }

    public List<Database> list(Handle h, String branchId) {
        return h.createQuery("select " + COLUMNS + " from databases where branch_id = :branch order by id")
                .bind("branch", branchId).map((rs, ctx) -> map(rs)).list();
    }

    public boolean ownedBy(Handle h, String branchId, String roleName) {
        return h.createQuery("select exists (select 1 from databases where branch_id = :branch and owner_name = :role)")
                .bind("branch", branchId).bind("role", roleName).mapTo(Boolean.class).one();
    }

    /** A child branch starts with copies of its parent's databases; each copy gets its own id. */
    public void deleteAll(Handle h, String branchId) {
        h.createUpdate("delete from databases where branch_id = :branch").bind("branch", branchId).execute();
    }

    public void copy(Handle h, String fromBranch, String toBranch) {
        h.createUpdate("insert into databases (branch_id, name, owner_name, created_at, updated_at) "
                        + "select :to, name, owner_name, created_at, updated_at from databases where branch_id = :from "
                        + "order by id")
                .bind("from", fromBranch).bind("to", toBranch).execute();
    }

    private static Database map(ResultSet rs) throws SQLException {
        return new Database(rs.getLong("id"), rs.getString("branch_id"), rs.getString("name"),
                rs.getString("owner_name"), instant(rs, "created_at"), instant(rs, "updated_at"));
    }
}
