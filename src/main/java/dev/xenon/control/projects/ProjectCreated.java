package dev.xenon.control.projects;

import dev.xenon.control.model.Branch;
import dev.xenon.control.model.Database;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.Project;
import dev.xenon.control.model.Role;
import dev.xenon.operations.Operation;

import java.util.List;

/** Everything a project creation made, with the owner role's password as given once to the caller. */
public record ProjectCreated(Project project, Branch branch, List<Endpoint> endpoints, List<Role> roles,
                             List<Database> databases, List<Operation> operations) {
}
