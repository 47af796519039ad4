package dev.xenon.proxy;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What the proxy needs to know about an endpoint before it authenticates a client.
 *
 * @param allowlist             the project's IP allowlist (addresses, CIDR blocks, ranges), parsed; empty allows all
 * @param protectedBranchesOnly the allowlist applies only to protected branches
 * @param branchProtected       the endpoint's branch is protected
 * @param ownPort               the port the proxy also listens on for this endpoint alone, 0 if none
 */
public record EndpointInfo(String endpointId, String projectId, boolean disabled, List<AddressRule> allowlist,
                           boolean protectedBranchesOnly, boolean branchProtected, int ownPort) {
    public EndpointInfo {
        requireNonNull(endpointId, "endpointId is null");
        requireNonNull(projectId, "projectId is null");
        allowlist = List.copyOf(requireNonNull(allowlist, "allowlist is null"));
        if (ownPort < 0 || ownPort > 65535) {
            throw new IllegalArgumentException("invalid port " + ownPort);
        }
    }

    /** Whether the allowlist applies to connections to this endpoint at all. */
    public boolean allowlistApplies() {
        return !allowlist.isEmpty() && (!protectedBranchesOnly || branchProtected);
    }
}
