package dev.xenon.control.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.control.NeonName;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static dev.xenon.store.Rows.instant;
import static dev.xenon.store.Rows.nullableLong;

public final class BranchStore {
    static final String COLUMNS = "id, project_id, parent_id, name, parent_lsn, parent_timestamp, current_state, "
            + "pending_state, state_changed_at, is_default, protected, init_source, expires_at, logical_size, "
            + "last_reset_at, created_by, created_at, updated_at, annotation, annotation_created_at, annotation_updated_at";
    /** Bytes sent to clients by every endpoint the branch has had, as counted by the proxy. */
    private static final String SELECT = "select " + COLUMNS + ", (select coalesce(sum(e.data_transfer_bytes), 0) "
            + "from endpoints e where e.branch_id = branches.id) as data_transfer_bytes from branches ";

    private final ObjectMapper json;

    public BranchStore(ObjectMapper json) {
        this.json = json;
    }

    public void insert(Handle h, Branch b) {
        h.createUpdate("insert into branches (" + COLUMNS + ") values (:id, :project, :parent, :name, :lsn, :ts, "
                        + ":state, :pending, :changed, :default, :protected, :init, :expires, :size, :reset, :by, "
                        + ":created, :updated, cast(:annotation as jsonb), :annCreated, :annUpdated)")
                .bind("id", b.id()).bind("project", b.projectId()).bind("parent", b.parentId()).bind("name", b.name())
                .bind("lsn", b.parentLsn()).bind("ts", b.parentTimestamp()).bind("state", b.currentState().value())
                .bind("pending", NeonName.of(b.pendingState())).bind("changed", b.stateChangedAt())
                .bind("default", b.isDefault())
                .bind("protected", b.isProtected()).bind("init", b.initSource().value()).bind("expires", b.expiresAt())
                .bind("size", b.logicalSize()).bind("reset", b.lastResetAt()).bind("by", b.createdBy())
                .bind("created", b.createdAt()).bind("updated", b.updatedAt())
                .bind("annotation", b.annotation() == null ? null : write(b.annotation()))
                .bind("annCreated", b.annotationCreatedAt()).bind("annUpdated", b.annotationUpdatedAt())
                .execute();
    }

    public void update(Handle h, Branch b) {
        h.createUpdate("update branches set name = :name, protected = :protected, expires_at = :expires, "
                        + "is_default = :default, updated_at = :updated where id = :id")
                .bind("id", b.id()).bind("name", b.name()).bind("protected", b.isProtected())
                .bind("expires", b.expiresAt()).bind("default", b.isDefault()).bind("updated", b.updatedAt())
                .execute();
    }

    public void setState(Handle h, String id, BranchState current, BranchState pending, Instant at) {
        h.createUpdate("update branches set current_state = :current, pending_state = :pending, state_changed_at = :at, "
                        + "updated_at = :at where id = :id")
                .bind("id", id).bind("current", current.value()).bind("pending", NeonName.of(pending)).bind("at", at)
                .execute();
    }

    public void recordBranchPoint(Handle h, String id, String lsn, Instant timestamp, Long logicalSize) {
        h.createUpdate("update branches set parent_lsn = coalesce(:lsn, parent_lsn), "
                        + "parent_timestamp = coalesce(:ts, parent_timestamp), logical_size = :size where id = :id")
                .bind("id", id).bind("lsn", lsn).bind("ts", timestamp).bind("size", logicalSize).execute();
    }

    /**
     * Records a restore: the branch now descends from {@code parentId} at the given point (null parts are filled in
     * by the restore step), was reset at {@code at}, and is {@code resetting} until its new data is in place.
     */
    public void markRestored(Handle h, String id, String parentId, String lsn, Instant timestamp, Instant at) {
        h.createUpdate("update branches set parent_id = :parent, parent_lsn = :lsn, parent_timestamp = :ts, "
                        + "last_reset_at = :at, current_state = :state, pending_state = :pending, "
                        + "state_changed_at = :at, updated_at = :at where id = :id")
                .bind("id", id).bind("parent", parentId).bind("lsn", lsn).bind("ts", timestamp).bind("at", at)
                .bind("state", BranchState.RESETTING.value()).bind("pending", BranchState.READY.value()).execute();
    }

    /** Moves the children of one branch under another (a restore keeps them with the preserved state). */
    public void reparentChildren(Handle h, String fromId, String toId, Instant at) {
        h.createUpdate("update branches set parent_id = :to, updated_at = :at where parent_id = :from "
                        + "and deleted_at is null and id <> :to")
                .bind("from", fromId).bind("to", toId).bind("at", at).execute();
    }

    /** A live branch whose history is kept, with what keeping it needs. */
    public record HistoryScope(String projectId, String branchId, int pgVersion, int retentionSeconds) {}

    /** Every branch with data (ready), with its project's Postgres version and history retention. */
    public List<HistoryScope> historyScopes(Handle h) {
        return h.createQuery("select b.project_id, b.id, p.pg_version, p.history_retention_seconds from branches b "
                        + "join projects p on p.id = b.project_id where b.deleted_at is null and p.deleted_at is null "
                        + "and b.current_state = 'ready' order by b.project_id, b.id")
                .map((rs, ctx) -> new HistoryScope(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4)))
                .list();
    }

    public void setPending(Handle h, String id, BranchState pending, Instant at) {
        h.createUpdate("update branches set pending_state = :pending, updated_at = :at where id = :id")
                .bind("id", id).bind("pending", NeonName.of(pending)).bind("at", at).execute();
    }

    public void markDeleted(Handle h, String id, Instant at) {
        h.createUpdate("update branches set deleted_at = :at where id = :id").bind("id", id).bind("at", at).execute();
    }

    public void clearDefault(Handle h, String projectId, Instant at) {
        h.createUpdate("update branches set is_default = false, updated_at = :at "
                        + "where project_id = :project and is_default and deleted_at is null")
                .bind("project", projectId).bind("at", at).execute();
    }

    public Optional<Branch> find(Handle h, String projectId, String id, boolean forUpdate) {
        return h.createQuery(SELECT + "where project_id = :project and id = :id "
                        + "and deleted_at is null" + (forUpdate ? " for update" : ""))
                .bind("project", projectId).bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Branch> findAnyState(Handle h, String id) {
        return h.createQuery(SELECT + "where id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Branch> findByName(Handle h, String projectId, String name) {
        return h.createQuery(SELECT + "where project_id = :project and name = :name "
                        + "and deleted_at is null")
                .bind("project", projectId).bind("name", name).map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Branch> findDefault(Handle h, String projectId) {
        return h.createQuery(SELECT + "where project_id = :project and is_default "
                        + "and deleted_at is null")
                .bind("project", projectId).map((rs, ctx) -> map(rs)).findOne();
    }

    public List<Branch> list(Handle h, String projectId) {
        return h.createQuery(SELECT + "where project_id = :project and deleted_at is null")
                .bind("project", projectId).map((rs, ctx) -> map(rs)).list();
    }

    public List<Branch> listPage(Handle h, BranchQuery query) {
        String column = switch (query.sortBy()) {
            case "name" -> "name";
            case "created_at" -> "created_at";
            default -> "updated_at";
        };
        String order = query.descending() ? "desc" : "asc";
        String compare = query.descending() ? "<" : ">";
        StringBuilder sql = new StringBuilder(SELECT + "where project_id = :project and deleted_at is null");
        if (query.search() != null && !query.search().isEmpty()) {
            sql.append(" and (strpos(lower(name), lower(:search)) > 0 or strpos(id, lower(:search)) > 0)");
        }
        if (query.after() != null) {
            sql.append(" and (").append(column).append(", id) ").append(compare)
                    .append(" (select ").append(column).append(", id from branches where id = :after)");
        }
        sql.append(" order by ").append(column).append(' ').append(order).append(", id ").append(order)
                .append(" limit :limit");
        return h.createQuery(sql.toString()).bind("project", query.projectId()).bind("search", query.search())
                .bind("after", query.after()).bind("limit", query.limit())
                .map((rs, ctx) -> map(rs)).list();
    }

    public int count(Handle h, String projectId, String search) {
        return h.createQuery("select count(*) from branches where project_id = :project and deleted_at is null "
                        + "and (cast(:search as text) is null or strpos(lower(name), lower(:search)) > 0 "
                        + "or strpos(id, lower(:search)) > 0)")
                .bind("project", projectId).bind("search", search).mapTo(Integer.class).one();
    }

    public boolean hasChildren(Handle h, String id) {
        return h.createQuery("select exists (select 1 from branches where parent_id = :id and deleted_at is null)")
                .bind("id", id).mapTo(Boolean.class).one();
    }

    /** Branches whose {@code expires_at} has passed, for the expiry sweeper. */
    public List<Branch> expired(Handle h, Instant now) {
        return h.createQuery(SELECT + "where deleted_at is null and expires_at <= :now")
                .bind("now", now).map((rs, ctx) -> map(rs)).list();
    }

    private Branch map(ResultSet rs) throws SQLException {
        String annotation = rs.getString("annotation");
        return Branch.builder()
                .id(rs.getString("id")).projectId(rs.getString("project_id")).parentId(rs.getString("parent_id"))
                .name(rs.getString("name")).parentLsn(rs.getString("parent_lsn"))
                .parentTimestamp(instant(rs, "parent_timestamp"))
                .currentState(NeonName.from(BranchState.class, rs.getString("current_state")))
                .pendingState(NeonName.from(BranchState.class, rs.getString("pending_state")))
                .stateChangedAt(instant(rs, "state_changed_at")).isDefault(rs.getBoolean("is_default"))
                .isProtected(rs.getBoolean("protected"))
                .initSource(NeonName.from(InitSource.class, rs.getString("init_source")))
                .expiresAt(instant(rs, "expires_at")).logicalSize(nullableLong(rs, "logical_size"))
                .lastResetAt(instant(rs, "last_reset_at")).createdBy(rs.getObject("created_by", UUID.class))
                .createdAt(instant(rs, "created_at")).updatedAt(instant(rs, "updated_at"))
                .annotation(annotation == null ? null : read(annotation))
                .annotationCreatedAt(instant(rs, "annotation_created_at"))
                .annotationUpdatedAt(instant(rs, "annotation_updated_at"))
                .dataTransferBytes(rs.getLong("data_transfer_bytes")).build();
    }

    private String write(Map<String, String> annotation) {
        try {
            return json.writeValueAsString(annotation);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while serialising a branch annotation", e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return json.readValue(text, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while reading a stored branch annotation", e);
        }
    }
}
