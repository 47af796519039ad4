package dev.xenon.control.users;

import org.jdbi.v3.core.Handle;

import java.util.Optional;
import java.util.UUID;

/** Organizations and memberships, as far as the control plane needs them to place projects. */
public final class OrgStore {

    /** The organization a user's projects go to when the request names none: the oldest one they belong to. */
    public Optional<String> defaultOrgOf(Handle h, UUID userId) {
        return h.createQuery("select org_id from org_members where user_id = :user order by joined_at, org_id limit 1")
                .bind("user", userId).mapTo(String.class).findOne();
    }

    public boolean isMember(Handle h, UUID userId, String orgId) {
        return h.createQuery("select exists (select 1 from org_members where user_id = :user and org_id = :org)")
                .bind("user", userId).bind("org", orgId).mapTo(Boolean.class).one();
    }

    public boolean exists(Handle h, String orgId) {
        return h.createQuery("select exists (select 1 from organizations where id = :org)")
                .bind("org", orgId).mapTo(Boolean.class).one();
    }
}
