package dev.xenon.control.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.control.Access;
import dev.xenon.control.NeonName;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.xenon.store.Rows.instant;

/** Projects in the metadata store. Deleted projects stay as tombstones until their teardown finishes. */
public final class ProjectStore {
    private static final String COLUMNS = "id, org_id, name, region_id, pg_version, provisioner, store_passwords, "
            + "history_retention_seconds, default_endpoint_settings, settings, creation_source, created_at, updated_at, "
            + "compute_last_active_at";
    /** Bytes sent to clients by every endpoint the project has had, as counted by the proxy. */
    private static final String SELECT = "select " + COLUMNS + ", (select coalesce(sum(e.data_transfer_bytes), 0) "
            + "from endpoints e where e.project_id = projects.id) as data_transfer_bytes from projects ";

    private final ObjectMapper json;

    public ProjectStore(ObjectMapper json) {
        this.json = json;
    }

    public void insert(Handle h, Project p) {
        h.createUpdate("insert into projects (" + COLUMNS + ") values (:id, :org, :name, :region, :pg, :provisioner, "
                        + ":store, :retention, cast(:defaults as jsonb), cast(:settings as jsonb), :source, :created, :updated, null)")
                .bind("id", p.id()).bind("org", p.orgId()).bind("name", p.name()).bind("region", p.regionId())
                .bind("pg", p.pgVersion()).bind("provisioner", p.provisioner().value()).bind("store", p.storePasswords())
                .bind("retention", p.historyRetentionSeconds())
                .bind("defaults", write(p.defaultEndpointSettings())).bind("settings", write(p.settings()))
                .bind("source", p.creationSource()).bind("created", p.createdAt()).bind("updated", p.updatedAt())
                .execute();
    }

    public void update(Handle h, Project p) {
        h.createUpdate("update projects set name = :name, history_retention_seconds = :retention, "
                        + "default_endpoint_settings = cast(:defaults as jsonb), settings = cast(:settings as jsonb), "
                        + "updated_at = :updated where id = :id")
                .bind("id", p.id()).bind("name", p.name()).bind("retention", p.historyRetentionSeconds())
                .bind("defaults", write(p.defaultEndpointSettings())).bind("settings", write(p.settings()))
                .bind("updated", p.updatedAt())
                .execute();
    }

    public void markDeleted(Handle h, String id, Instant at) {
        h.createUpdate("update projects set deleted_at = :at where id = :id").bind("id", id).bind("at", at).execute();
    }

    /** A live project the caller may see, locked for update when {@code forUpdate}. */
    public Optional<Project> find(Handle h, Access access, String id, boolean forUpdate) {
        Query q = h.createQuery(SELECT + "where id = :id and deleted_at is null and "
                        + access.projectFilter("id") + (forUpdate ? " for update" : ""))
                .bind("id", id);
        access.bind(q);
        return q.map((rs, ctx) -> map(rs)).findOne();
    }

    /** Newest first; the cursor is the id of the last project of the previous page. */
    public List<Project> list(Handle h, Access access, String orgId, String search, String cursor, int limit) {
        StringBuilder sql = new StringBuilder(SELECT + "where deleted_at is null and "
                + access.projectFilter("projects.id"));
        if (orgId != null) {
            sql.append(" and org_id = :org");
        }
        if (search != null && !search.isEmpty()) {
            sql.append(" and (strpos(lower(name), lower(:search)) > 0 or strpos(id, lower(:search)) > 0)");
        }
        if (cursor != null) {
            sql.append(" and (created_at, id) < (select created_at, id from projects where id = :cursor)");
        }
        sql.append(" order by created_at desc, id desc limit :limit");
        Query q = h.createQuery(sql.toString()).bind("org", orgId).bind("search", search).bind("cursor", cursor)
                .bind("limit", limit);
        access.bind(q);
        return q.map((rs, ctx) -> map(rs)).list();
    }

    public Optional<Project> findAny(Handle h, String id) {
        return h.createQuery(SELECT + "where id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public void touchActivity(Handle h, String id, Instant at) {
        h.createUpdate("update projects set compute_last_active_at = :at where id = :id").bind("id", id).bind("at", at)
                .execute();
    }

    private Project map(ResultSet rs) throws SQLException {
        return Project.builder()
                .id(rs.getString("id")).orgId(rs.getString("org_id")).name(rs.getString("name"))
                .regionId(rs.getString("region_id")).pgVersion(rs.getInt("pg_version"))
                .provisioner(NeonName.from(ComputeProvisioner.class, rs.getString("provisioner")))
                .storePasswords(rs.getBoolean("store_passwords"))
                .historyRetentionSeconds(rs.getInt("history_retention_seconds"))
                .defaultEndpointSettings(read(rs.getString("default_endpoint_settings"), DefaultEndpointSettings.class))
                .settings(read(rs.getString("settings"), ProjectSettings.class))
                .creationSource(rs.getString("creation_source")).createdAt(instant(rs, "created_at"))
                .updatedAt(instant(rs, "updated_at")).computeLastActiveAt(instant(rs, "compute_last_active_at"))
                .dataTransferBytes(rs.getLong("data_transfer_bytes")).build();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while serialising project settings", e);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while reading stored project settings", e);
        }
    }
}
