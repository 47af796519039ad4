package dev.xenon.api.projects;

import dev.xenon.api.representations.BranchRepresentation;
import dev.xenon.api.representations.EndpointRepresentation;
import dev.xenon.api.representations.ProjectRepresentation;
import dev.xenon.api.representations.Renderer.ConnectionDetails;
import dev.xenon.api.representations.RoleRepresentation;
import dev.xenon.control.model.Database;
import dev.xenon.operations.Operation;

import java.util.List;
import java.util.Map;

/** The bodies of the project routes, field for field in Neon's order; a null field is left out. */
final class ProjectResponses {
    private ProjectResponses() {}

    /** Neon's {@code ProjectResponse}, and with {@code operations} its {@code ProjectOperations}. */
    record ProjectResponse(ProjectRepresentation project, List<Operation> operations) {}

    /** Neon's {@code ProjectsResponse} with its pagination and empty applications and integrations. */
    record ProjectsPage(List<ProjectRepresentation> projects, Cursor pagination, Map<String, Object> applications,
                        Map<String, Object> integrations) {}

    record Cursor(String cursor) {}

    /** Projects shared with the caller: never any, as Xenon has no sharing. */
    record SharedProjects(List<ProjectRepresentation> projects) {}

    /** Neon's {@code CreatedProject}. */
    record CreatedProject(ProjectRepresentation project, List<ConnectionDetails> connectionUris,
                          List<RoleRepresentation> roles, List<Database> databases, List<Operation> operations,
                          BranchRepresentation branch, List<EndpointRepresentation> endpoints) {}

    /** Neon's {@code ConnectionURIResponse}. */
    record ConnectionUri(String uri) {}
}
