package dev.xenon.control.branches;

import dev.xenon.control.model.Branch;
import dev.xenon.control.model.Database;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.Role;
import dev.xenon.operations.Operation;

import java.util.List;

public record BranchCreated(Branch branch, List<Endpoint> endpoints, List<Operation> operations, List<Role> roles,
                            List<Database> databases) {
}
