package dev.xenon.control.model;

import dev.xenon.control.Access;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.xenon.store.Rows.instant;

public final class ApiKeyStore {
    private static final String SELECT = "select k.id, k.name, k.kind, k.user_id, k.created_by, u.name as creator_name, "
            + "k.org_id, k.project_id, k.created_at, k.last_used_at, k.last_used_from_addr, k.revoked, k.token_hash "
            + "from api_keys k join users u on u.id = k.created_by ";

    public ApiKey insert(Handle h, String name, byte[] tokenHash, Access.Kind kind, UUID userId, UUID createdBy,
                         String orgId, String projectId, Instant at) {
        long id = h.createQuery("insert into api_keys (name, token_hash, kind, user_id, created_by, org_id, project_id, "
                        + "created_at) values (:name, :hash, :kind, cast(:user as uuid), :by, :org, :project, :at) returning id")
                .bind("name", name).bind("hash", tokenHash).bind("kind", kind.name().toLowerCase())
                .bind("user", userId).bind("by", createdBy).bind("org", orgId).bind("project", projectId)
                .bind("at", at).mapTo(Long.class).one();
        return find(h, id).orElseThrow();
    }

    public record Match(ApiKey key, byte[] tokenHash) {}

    public Optional<Match> findByHash(Handle h, byte[] tokenHash) {
        return h.createQuery(SELECT + "where k.token_hash = :hash").bind("hash", tokenHash)
                .map((rs, ctx) -> new Match(map(rs), rs.getBytes("token_hash"))).findOne();
    }

    public Optional<ApiKey> find(Handle h, long id) {
        return h.createQuery(SELECT + "where k.id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public List<ApiKey> listPersonal(Handle h, UUID userId) {
        return h.createQuery(SELECT + "where k.kind = 'personal' and k.user_id = :user and not k.revoked order by k.id")
                .bind("user", userId).map((rs, ctx) -> map(rs)).list();
    }

    public List<ApiKey> listForOrg(Handle h, String orgId) {
        return h.createQuery(SELECT + "where k.kind in ('organization', 'project') and k.org_id = :org "
                        + "and not k.revoked order by k.id")
                .bind("org", orgId).map((rs, ctx) -> map(rs)).list();
    }

    public void revoke(Handle h, long id) {
        h.createUpdate("update api_keys set revoked = true where id = :id").bind("id", id).execute();
    }

    public void recordUse(Handle h, long id, Instant at, String address) {
        h.createUpdate("update api_keys set last_used_at = :at, last_used_from_addr = :addr where id = :id")
                .bind("id", id).bind("at", at).bind("addr", address).execute();
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        return new ApiKey(rs.getLong("id"), rs.getString("name"),
                Access.Kind.valueOf(rs.getString("kind").toUpperCase()), rs.getObject("user_id", UUID.class),
                rs.getObject("created_by", UUID.class), rs.getString("creator_name"), rs.getString("org_id"),
                rs.getString("project_id"), instant(rs, "created_at"), instant(rs, "last_used_at"),
                rs.getString("last_used_from_addr"), rs.getBoolean("revoked"));
    }
}
