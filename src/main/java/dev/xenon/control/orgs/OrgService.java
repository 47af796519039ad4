package dev.xenon.control.orgs;

import dev.xenon.control.Access;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.Ids;
import dev.xenon.control.access.Authorization;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.model.ApiKeyStore;
import dev.xenon.control.model.OrgRole;
import dev.xenon.control.model.OrgStore;
import dev.xenon.control.model.UserStore;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** Organizations: members and their roles, invitations, and how an invited person joins. */
public final class OrgService {
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public record Invite(String email, OrgRole role) {}

    /** An accepted invitation: the new member and their first personal API key (shown once). */
    public record Joined(OrgStore.Member member, String apiKey) {}

    private final Db db;
    private final OrgStore orgs;
    private final UserStore users;
    private final ApiKeyStore keys;
    private final Authorization authorization;
    private final Ids ids;
    private final Clock clock;

    public OrgService(Db db, OrgStore orgs, UserStore users, ApiKeyStore keys, Authorization authorization, Ids ids,
                      Clock clock) {
        this.db = requireNonNull(db, "db is null");
        this.orgs = orgs;
        this.users = users;
        this.keys = keys;
        this.authorization = authorization;
        this.ids = ids;
        this.clock = clock;
    }

    public UserStore.Organization get(Access access, String orgId) {
        return db.read(h -> {
            authorization.requireOrgMember(h, access, orgId);
            return users.organization(h, orgId).orElseThrow(() -> notFound(orgId));
        });
    }

    public List<OrgStore.Member> members(Access access, String orgId, String sortBy, boolean descending, UUID after,
                                         int limit) {
        return db.read(h -> {
            authorization.requireOrgMember(h, access, orgId);
            return orgs.members(h, orgId, sortBy, descending, after, limit);
        });
    }

    public OrgStore.Member member(Access access, String orgId, UUID memberId) {
        return db.read(h -> {
            authorization.requireOrgMember(h, access, orgId);
            return member(h, orgId, memberId);
        });
    }

    public OrgStore.Member setRole(Access access, String orgId, UUID memberId, OrgRole wanted) {
        Check.required("role", wanted);
        return db.write(h -> {
            authorization.requireOrgAdmin(h, access, orgId);
            lockMembers(h, orgId);
            OrgStore.Member current = member(h, orgId, memberId);
            if (current.role() == OrgRole.ADMIN && wanted != OrgRole.ADMIN && orgs.adminCount(h, orgId) == 1) {
                throw DomainException.conflict("member " + memberId + " is the last admin of organization " + orgId
                        + "; make someone else an admin first");
            }
            orgs.setRole(h, memberId, wanted);
            return member(h, orgId, memberId);
        });
    }

    public void remove(Access access, String orgId, UUID memberId) {
        db.run(h -> {
            authorization.requireOrgAdmin(h, access, orgId);
            lockMembers(h, orgId);
            OrgStore.Member current = member(h, orgId, memberId);
            if (current.role() == OrgRole.ADMIN && orgs.adminCount(h, orgId) == 1) {
                throw DomainException.conflict("member " + memberId + " is the last admin of organization " + orgId
                        + " and cannot be removed");
            }
            orgs.removeMember(h, memberId);
        });
    }

    public List<OrgStore.Invitation> invite(Access access, String orgId, List<Invite> invites) {
        if (invites == null || invites.isEmpty()) {
            throw DomainException.invalid("invitations must hold at least one invitation");
        }
        for (int i = 0; i < invites.size(); i++) {
            Invite invite = invites.get(i);
            String field = "invitations[" + i + "]";
            Check.required(field + ".email", invite.email());
            if (invite.email().length() > 256 || !EMAIL.matcher(invite.email()).matches()) {
                throw DomainException.invalid(field + ".email '" + invite.email() + "' is not an email address");
            }
            Check.required(field + ".role", invite.role());
        }
        return db.write(h -> {
            authorization.requireOrgAdmin(h, access, orgId);
            Instant now = clock.instant();
            List<OrgStore.Invitation> made = new ArrayList<>();
            for (Invite invite : invites) {
                if (orgs.memberByEmail(h, orgId, invite.email()).isPresent()) {
                    throw DomainException.conflict(invite.email() + " is already a member of organization " + orgId);
                }
                made.add(orgs.invite(h, orgId, invite.email().toLowerCase(), invite.role(),
                        access.userId(), now));
            }
            return made;
        });
    }

    public List<OrgStore.Invitation> invitations(Access access, String orgId) {
        return db.read(h -> {
            authorization.requireOrgMember(h, access, orgId);
            return orgs.invitations(h, orgId);
        });
    }

    /**
     * Xenon has no mail server, so an admin accepts an invitation on the invitee's behalf: the user is created if
     * new, joins with the invited role, and gets a first personal API key to hand over.
     */
    public Joined accept(Access access, String orgId, String email) {
        Check.required("email", email);
        String token = ids.apiKeyToken();
        return db.write(h -> {
            authorization.requireOrgAdmin(h, access, orgId);
            OrgStore.Invitation invitation = orgs.invitations(h, orgId).stream()
                    .filter(i -> i.email().equalsIgnoreCase(email)).findFirst()
                    .orElseThrow(() -> DomainException.notFound("no invitation for " + email + " in organization "
                            + orgId));
            Instant now = clock.instant();
            UUID userId = users.findByEmail(h, email).map(UserStore.User::id)
                    .orElseGet(() -> users.create(h, email.toLowerCase(), email.substring(0, email.indexOf('@')), now));
            orgs.addMember(h, orgId, userId, invitation.role(), now);
            orgs.deleteInvitation(h, invitation.id());
            keys.insert(h, "first key", ApiKeyService.hash(token), Access.Kind.PERSONAL, userId, userId, null, null,
                    now);
            return new Joined(orgs.memberByEmail(h, orgId, email).orElseThrow(), token);
        });
    }

    /** Serialises membership changes of one organization, so two demotions cannot both pass the last-admin check. */
    private static void lockMembers(Handle h, String orgId) {
        h.createQuery("select id from organizations where id = :org for update").bind("org", orgId)
                .mapTo(String.class).findOne();
    }

    private OrgStore.Member member(Handle h, String orgId, UUID memberId) {
        return orgs.member(h, orgId, memberId)
                .orElseThrow(() -> DomainException.notFound("member " + memberId + " not found in " + orgId));
    }

    private static DomainException notFound(String orgId) {
        return DomainException.notFound("organization " + orgId + " not found");
    }
}
