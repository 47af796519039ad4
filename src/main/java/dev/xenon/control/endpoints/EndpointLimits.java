package dev.xenon.control.endpoints;

import dev.xenon.control.DomainException;

/**
 * How many endpoints a branch and a project may have. Neon allows one read_write endpoint and "multiple" read_only
 * ones per branch (its Free plan: at most 3 read replicas per project); Xenon allows more, as a self-hosted server
 * should, but few enough that one request or one project cannot take every endpoint port of the server.
 */
public record EndpointLimits(int perBranch, int perProject) {
    /** One read_write and up to nine read_only endpoints per branch; 100 endpoints per project. */
    public static final EndpointLimits DEFAULT = new EndpointLimits(10, 100);

    public EndpointLimits {
        if (perBranch < 1 || perProject < perBranch) {
            throw new IllegalArgumentException("endpoint limits must allow at least one endpoint per branch and "
                    + "no fewer per project than per branch");
        }
    }

    /** Refuses one more endpoint on a branch that has {@code existing} already. */
    void checkBranch(String branchId, int existing) {
        if (existing >= perBranch) {
            throw DomainException.conflict("branch " + branchId + " already has " + existing
                    + " endpoints, the most a branch may have (" + perBranch + ")");
        }
    }

    /** Refuses one more endpoint in a project that has {@code existing} already. */
    void checkProject(String projectId, int existing) {
        if (existing >= perProject) {
            throw DomainException.conflict("project " + projectId + " already has " + existing
                    + " endpoints, the most a project may have (" + perProject + ")");
        }
    }
}
