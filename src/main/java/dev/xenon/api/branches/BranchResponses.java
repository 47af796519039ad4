package dev.xenon.api.branches;

import dev.xenon.api.Pagination;
import dev.xenon.api.representations.BranchRepresentation;
import dev.xenon.api.representations.EndpointRepresentation;
import dev.xenon.api.representations.Renderer.ConnectionDetails;
import dev.xenon.api.representations.RoleRepresentation;
import dev.xenon.control.model.Database;
import dev.xenon.operations.Operation;

import java.util.List;
import java.util.Map;

/** The bodies of the branch, role and database routes, in Neon's field order; a null field is left out. */
final class BranchResponses {
    private BranchResponses() {}

    /** Neon's {@code BranchResponse} with its {@code annotation} (a read), or with {@code operations} (a change). */
    record BranchResponse(BranchRepresentation branch, BranchRepresentation.Annotation annotation,
                          List<Operation> operations) {}

    /** Neon's {@code CreatedBranch}; {@code connection_uris} only when a role's password is known. */
    record CreatedBranch(BranchRepresentation branch, List<EndpointRepresentation> endpoints,
                         List<Operation> operations, List<RoleRepresentation> roles, List<Database> databases,
                         List<ConnectionDetails> connectionUris) {}

    /** Neon's {@code BranchesResponse}: annotations by branch id. */
    record BranchesPage(List<BranchRepresentation> branches, Map<String, BranchRepresentation.Annotation> annotations,
                        Pagination pagination) {}

    record BranchCount(int count) {}

    record Roles(List<RoleRepresentation> roles) {}

    /** Neon's {@code RoleResponse}, and with {@code operations} its {@code RoleOperations}. */
    record RoleResponse(RoleRepresentation role, List<Operation> operations) {}

    record RolePassword(String password) {}

    record Databases(List<Database> databases) {}

    /** Neon's {@code DatabaseResponse}, and with {@code operations} its {@code DatabaseOperations}. */
    record DatabaseResponse(Database database, List<Operation> operations) {}
}
