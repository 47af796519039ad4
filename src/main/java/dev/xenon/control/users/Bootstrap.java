package dev.xenon.control.users;

import dev.xenon.control.Access;
import dev.xenon.control.Ids;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.model.ApiKeyStore;
import dev.xenon.store.Db;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * First-start state: an admin user, its default organization, and a personal key for it. A token given in
 * {@code XENON_API_KEY} is registered (idempotently) instead of generating one.
 */
public final class Bootstrap {
    public static final String ADMIN_EMAIL = "admin@example.com";

    private final Db db;
    private final ApiKeyStore keys;
    private final Ids ids;
    private final Clock clock;

    public Bootstrap(Db db, ApiKeyStore keys, Ids ids, Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.keys = keys;
        this.ids = ids;
        this.clock = clock;
    }

    /** Returns a newly generated token when one had to be made (to be shown once), else empty. */
    public Optional<String> run(Optional<String> configuredToken) {
        return db.write(h -> {
            Instant now = clock.instant();
            UUID admin = h.createQuery("select id from users where email = :email").bind("email", ADMIN_EMAIL)
                    .mapTo(UUID.class).findOne().orElseGet(() -> {
                        UUID id = UUID.randomUUID();
                        h.createUpdate("insert into users (id, email, name, created_at) values (:id, :email, 'admin', :at)")
                                .bind("id", id).bind("email", ADMIN_EMAIL).bind("at", now).execute();
                        String org = ids.organization();
                        h.createUpdate("insert into organizations (id, name, handle, created_at, updated_at) "
                                        + "values (:id, 'Default', :handle, :at, :at)")
                                .bind("id", org).bind("handle", org).bind("at", now).execute();
                        h.createUpdate("insert into org_members (id, org_id, user_id, role, joined_at) "
                                        + "values (:id, :org, :user, 'admin', :at)")
                                .bind("id", UUID.randomUUID()).bind("org", org).bind("user", id).bind("at", now)
                                .execute();
                        return id;
                    });
            if (configuredToken.isPresent()) {
                byte[] hash = ApiKeyService.hash(configuredToken.get());
                if (keys.findByHash(h, hash).isEmpty()) {
                    keys.insert(h, "bootstrap", hash, Access.Kind.PERSONAL, admin, admin, null, null, now);
                }
                return Optional.empty();
            }
            boolean hasKey = h.createQuery("select exists (select 1 from api_keys where user_id = :user)")
                    .bind("user", admin).mapTo(Boolean.class).one();
            if (hasKey) {
                return Optional.empty();
            }
            String token = ids.apiKeyToken();
            keys.insert(h, "bootstrap", ApiKeyService.hash(token), Access.Kind.PERSONAL, admin, admin, null, null, now);
            return Optional.of(token);
        });
    }
}
