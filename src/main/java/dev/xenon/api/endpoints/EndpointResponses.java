package dev.xenon.api.endpoints;

import dev.xenon.api.representations.EndpointRepresentation;
import dev.xenon.operations.Operation;

import java.util.List;

/** The bodies of the endpoint routes; a null field is left out. */
public final class EndpointResponses {
    private EndpointResponses() {}

    /** Neon's {@code EndpointResponse}, and with {@code operations} its {@code EndpointOperations}. */
    record EndpointResponse(EndpointRepresentation endpoint, List<Operation> operations) {}

    /** Neon's {@code EndpointsResponse}. */
    public record Endpoints(List<EndpointRepresentation> endpoints) {}
}
