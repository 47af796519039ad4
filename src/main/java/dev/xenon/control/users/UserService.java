package dev.xenon.control.users;

import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.UserStore;
import dev.xenon.store.Db;

import java.util.List;

import static java.util.Objects.requireNonNull;

/** Who the caller is: the user behind a personal key, and the organizations the caller's key reaches. */
public final class UserService {
    private final Db db;
    private final UserStore users;

    public UserService(Db db, UserStore users) {
        this.db = requireNonNull(db, "db is null");
        this.users = requireNonNull(users, "users is null");
    }

    /** The user a personal key belongs to. */
    public UserStore.User user(Access access) {
        return db.read(h -> users.find(h, access.userId()))
                .orElseThrow(() -> DomainException.notFound("user not found"));
    }

    /** A personal key's user is in any number of organizations; an organization or project key is in its own. */
    public List<UserStore.Organization> organizations(Access access) {
        return db.read(h -> switch (access.kind()) {
            case PERSONAL -> users.organizationsOf(h, access.userId());
            case ORGANIZATION, PROJECT -> users.organization(h, access.orgId()).stream().toList();
        });
    }
}
