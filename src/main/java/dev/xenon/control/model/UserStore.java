package dev.xenon.control.model;

import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.xenon.store.Rows.instant;

public final class UserStore {
    public record User(UUID id, String email, String name) {}

    public record Organization(String id, String name, String handle, Instant createdAt, Instant updatedAt) {}

    public Optional<User> find(Handle h, UUID id) {
        return h.createQuery("select id, email, name from users where id = :id").bind("id", id)
                .map((rs, ctx) -> new User(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name")))
                .findOne();
    }

    public Optional<User> findByEmail(Handle h, String email) {
        return h.createQuery("select id, email, name from users where lower(email) = lower(:email)").bind("email", email)
                .map((rs, ctx) -> new User(rs.getObject("id", UUID.class), rs.getString("email"), rs.getString("name")))
                .findOne();
    }

    public UUID create(Handle h, String email, String name, Instant at) {
        UUID id = UUID.randomUUID();
        h.createUpdate("insert into users (id, email, name, created_at) values (:id, :email, :name, :at)")
                .bind("id", id).bind("email", email).bind("name", name).bind("at", at).execute();
        return id;
    }

    public List<Organization> organizationsOf(Handle h, UUID userId) {
        return h.createQuery("select o.id, o.name, o.handle, o.created_at, o.updated_at from organizations o "
                        + "join org_members m on m.org_id = o.id where m.user_id = :user order by m.joined_at, o.id")
                .bind("user", userId)
                .map((rs, ctx) -> new Organization(rs.getString("id"), rs.getString("name"), rs.getString("handle"),
                        instant(rs, "created_at"), instant(rs, "updated_at")))
                .list();
    }

    public Optional<Organization> organization(Handle h, String orgId) {
        return h.createQuery("select id, name, handle, created_at, updated_at from organizations where id = :id")
                .bind("id", orgId)
                .map((rs, ctx) -> new Organization(rs.getString("id"), rs.getString("name"), rs.getString("handle"),
                        instant(rs, "created_at"), instant(rs, "updated_at")))
                .findOne();
    }
}
