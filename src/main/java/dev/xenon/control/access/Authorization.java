package dev.xenon.control.access;

import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.OrgRole;
import dev.xenon.control.model.OrgStore;
import org.jdbi.v3.core.Handle;

/**
 * Who may do what, in one place. Project visibility is {@link Access#projectFilter}; everything else a key kind
 * may or may not do is decided here. Refusals are 403, or 404 where saying "forbidden" would reveal that an
 * organization exists to someone outside it.
 */
public final class Authorization {
    private final OrgStore orgs;

    public Authorization(OrgStore orgs) {
        this.orgs = orgs;
    }

    /** Reading an organization and its members, invitations and keys. */
    public void requireOrgMember(Handle h, Access access, String orgId) {
        switch (access.kind()) {
            case PROJECT -> throw new DomainException.Forbidden("a project-scoped API key cannot act on organizations");
            case ORGANIZATION -> {
                if (!orgId.equals(access.orgId())) {
                    throw DomainException.notFound("organization " + orgId + " not found");
                }
            }
            case PERSONAL -> {
                if (!orgs.isMember(h, access.userId(), orgId)) {
                    throw DomainException.notFound("organization " + orgId + " not found");
                }
            }
        }
    }

    /**
     * Changing members, inviting, and managing organization keys: organization admins, and organization keys
     * (which have admin-level reach over their organization).
     */
    public void requireOrgAdmin(Handle h, Access access, String orgId) {
        requireOrgMember(h, access, orgId);
        if (access.kind() == Access.Kind.PERSONAL
                && orgs.roleOf(h, access.userId(), orgId).orElse(null) != OrgRole.ADMIN) {
            throw new DomainException.Forbidden("only admins of organization " + orgId + " can do this");
        }
    }

    /** The organization a new project goes to, checking that the caller may create projects there. */
    public String placeNewProject(Handle h, Access access, String requestedOrg) {
        return switch (access.kind()) {
            case PROJECT -> throw new DomainException.Forbidden("a project-scoped API key cannot create projects");
            case ORGANIZATION -> {
                if (requestedOrg == null) {
                    throw DomainException.invalid(
                            "org_id is required when creating a project with an organization API key");
                }
                if (!requestedOrg.equals(access.orgId())) {
                    throw DomainException.notFound("organization " + requestedOrg + " not found");
                }
                yield requestedOrg;
            }
            case PERSONAL -> {
                if (requestedOrg != null) {
                    requireOrgMember(h, access, requestedOrg);
                    yield requestedOrg;
                }
                yield orgs.defaultOrgOf(h, access.userId()).orElseThrow(() -> DomainException.invalid(
                        "org_id is required: the caller belongs to no organization"));
            }
        };
    }

    public void requireCanDeleteProject(Access access) {
        if (access.kind() == Access.Kind.PROJECT) {
            throw new DomainException.Forbidden("a project-scoped API key cannot delete the project it is scoped to");
        }
    }

    /** Personal keys, /users/me: only a personal key speaks for a user. */
    public void requirePersonalKey(Access access, String what) {
        if (access.kind() != Access.Kind.PERSONAL) {
            throw new DomainException.Forbidden(what + " needs a personal API key");
        }
    }
}
