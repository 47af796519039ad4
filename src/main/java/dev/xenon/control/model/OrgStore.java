package dev.xenon.control.model;

import dev.xenon.control.NeonName;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.xenon.store.Rows.instant;

/** Organizations, memberships and invitations. */
public final class OrgStore {
    public record Member(UUID id, UUID userId, String orgId, OrgRole role, Instant joinedAt, String email) {}

    public record Invitation(UUID id, String email, String orgId, UUID invitedBy, Instant invitedAt, OrgRole role) {}

    private static final String MEMBER = "select m.id, m.user_id, m.org_id, m.role, m.joined_at, u.email "
            + "from org_members m join users u on u.id = m.user_id ";
    private static final String INVITATION = "select id, email, org_id, invited_by, invited_at, role from invitations ";

    /** The organization a user's projects go to when the request names none: the oldest one they belong to. */
    public Optional<String> defaultOrgOf(Handle h, UUID userId) {
        return h.createQuery("select org_id from org_members where user_id = :user order by joined_at, org_id limit 1")
                .bind("user", userId).mapTo(String.class).findOne();
    }

    public boolean isMember(Handle h, UUID userId, String orgId) {
        return roleOf(h, userId, orgId).isPresent();
    }

    public Optional<OrgRole> roleOf(Handle h, UUID userId, String orgId) {
        return h.createQuery("select role from org_members where user_id = :user and org_id = :org")
                .bind("user", userId).bind("org", orgId).mapTo(String.class).findOne()
                .map(role -> NeonName.from(OrgRole.class, role));
    }

    public boolean exists(Handle h, String orgId) {
        return h.createQuery("select exists (select 1 from organizations where id = :org)")
                .bind("org", orgId).mapTo(Boolean.class).one();
    }

    public List<Member> members(Handle h, String orgId, String sortBy, boolean descending, UUID after, int limit) {
        String column = switch (sortBy) {
            case "email" -> "u.email";
            case "role" -> "m.role";
            default -> "m.joined_at";
        };
        String order = descending ? "desc" : "asc";
        String cursor = after == null ? "" : " and (" + column + ", m.id) " + (descending ? "<" : ">")
                + " (select " + column + ", m.id from org_members m join users u on u.id = m.user_id where m.id = :after)";
        return h.createQuery(MEMBER + "where m.org_id = :org" + cursor + " order by " + column + " " + order
                        + ", m.id " + order + " limit :limit")
                .bind("org", orgId).bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> member(rs)).list();
    }

    public Optional<Member> member(Handle h, String orgId, UUID memberId) {
        return h.createQuery(MEMBER + "where m.org_id = :org and m.id = :id").bind("org", orgId).bind("id", memberId)
                .map((rs, ctx) -> member(rs)).findOne();
    }

    public Optional<Member> memberByEmail(Handle h, String orgId, String email) {
        return h.createQuery(MEMBER + "where m.org_id = :org and lower(u.email) = lower(:email)")
                .bind("org", orgId).bind("email", email).map((rs, ctx) -> member(rs)).findOne();
    }

    public int adminCount(Handle h, String orgId) {
        return h.createQuery("select count(*) from org_members where org_id = :org and role = 'admin'")
                .bind("org", orgId).mapTo(Integer.class).one();
    }

    public void setRole(Handle h, UUID memberId, OrgRole role) {
        h.createUpdate("update org_members set role = :role where id = :id").bind("id", memberId).bind("role", role.value())
                .execute();
    }

    public void removeMember(Handle h, UUID memberId) {
        h.createUpdate("delete from org_members where id = :id").bind("id", memberId).execute();
    }

    public void addMember(Handle h, String orgId, UUID userId, OrgRole role, Instant at) {
        h.createUpdate("insert into org_members (id, org_id, user_id, role, joined_at) values (:id, :org, :user, :role, :at)")
                .bind("id", UUID.randomUUID()).bind("org", orgId).bind("user", userId).bind("role", role.value())
                .bind("at", at).execute();
    }

    /** Records an invitation; inviting an address again replaces its role and time. */
    public Invitation invite(Handle h, String orgId, String email, OrgRole role, UUID invitedBy, Instant at) {
        return h.createQuery("insert into invitations (id, org_id, email, role, invited_by, invited_at) "
                        + "values (:id, :org, :email, :role, :by, :at) on conflict (org_id, email) do update "
                        + "set role = excluded.role, invited_by = excluded.invited_by, invited_at = excluded.invited_at "
                        + "returning id, email, org_id, invited_by, invited_at, role")
                .bind("id", UUID.randomUUID()).bind("org", orgId).bind("email", email).bind("role", role.value())
                .bind("by", invitedBy).bind("at", at).map((rs, ctx) -> invitation(rs)).one();
    }

    public List<Invitation> invitations(Handle h, String orgId) {
        return h.createQuery(INVITATION + "where org_id = :org order by invited_at, email").bind("org", orgId)
                .map((rs, ctx) -> invitation(rs)).list();
    }

    public void deleteInvitation(Handle h, UUID id) {
        h.createUpdate("delete from invitations where id = :id").bind("id", id).execute();
    }

    private static Member member(ResultSet rs) throws SQLException {
        return new Member(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("org_id"),
                NeonName.from(OrgRole.class, rs.getString("role")), instant(rs, "joined_at"), rs.getString("email"));
    }

    private static Invitation invitation(ResultSet rs) throws SQLException {
        return new Invitation(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("org_id"),
                rs.getObject("invited_by", UUID.class), instant(rs, "invited_at"), NeonName.from(OrgRole.class, rs.getString("role")));
    }
}
