package dev.xenon.control.branches;

import dev.xenon.control.databases.Database;
import dev.xenon.control.endpoints.Endpoint;
import dev.xenon.control.roles.Role;
import dev.xenon.operations.Operation;

import java.util.List;

public record BranchCreated(Branch branch, List<Endpoint> endpoints, List<Operation> operations, List<Role> roles,
                            List<Database> databases) {
}
