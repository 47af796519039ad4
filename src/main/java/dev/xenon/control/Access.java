package dev.xenon.control;

import org.jdbi.v3.core.statement.SqlStatement;

import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * Who is calling and what they may reach: the single place that turns an API key's kind into the set of
 * projects it sees. Every project lookup goes through {@link #projectFilter}.
 */
public record Access(long keyId, Kind kind, UUID userId, String orgId, String projectId) {
    public enum Kind { PERSONAL, ORGANIZATION, PROJECT }

    public Access {
        requireNonNull(kind, "kind is null");
        requireNonNull(userId, "userId is null");
    }

    /** A SQL predicate over a project id column, with parameters bound by {@link #bind}. */
    public String projectFilter(String idColumn) {
        return switch (kind) {
            case PERSONAL -> idColumn + " in (select ap.id from projects ap join org_members am on am.org_id = ap.org_id"
                    + " where am.user_id = :access_user)";
            case ORGANIZATION -> idColumn + " in (select ap.id from projects ap where ap.org_id = :access_org)";
            case PROJECT -> idColumn + " = :access_project";
        };
    }

    public <T extends SqlStatement<T>> T bind(T statement) {
        return statement.bind("access_user", userId).bind("access_org", orgId).bind("access_project", projectId);
    }
}
