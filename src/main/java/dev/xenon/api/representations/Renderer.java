package dev.xenon.api.representations;

import dev.xenon.control.Regions;
import dev.xenon.control.endpoints.EndpointAddress;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.Endpoint;
import dev.xenon.control.model.Project;

import java.util.List;

/** Turns domain records into Neon's shapes where they differ, with the installation's addresses filled in. */
public final class Renderer {
    private final Regions regions;
    private final EndpointAddress address;

    public Renderer(Regions regions, EndpointAddress address) {
        this.regions = regions;
        this.address = address;
    }

    public ProjectRepresentation project(Project p) {
        return ProjectRepresentation.of(p, regions.resolve("region_id", p.regionId()), address.proxyHost());
    }

    public BranchRepresentation branch(Branch b) {
        return BranchRepresentation.of(b);
    }

    public EndpointRepresentation endpoint(Endpoint e) {
        return EndpointRepresentation.of(e, address);
    }

    public List<EndpointRepresentation> endpoints(List<Endpoint> endpoints) {
        return endpoints.stream().map(this::endpoint).toList();
    }

    public EndpointAddress address() {
        return address;
    }

    /** Neon's {@code ConnectionDetails}. */
    public record ConnectionDetails(String connectionUri, ConnectionParameters connectionParameters) {}

    public record ConnectionParameters(String database, String password, String role, String host, String poolerHost) {}

    public ConnectionDetails connection(Endpoint e, String role, String password, String database) {
        return new ConnectionDetails(address.uri(e, role, password, database, false),
                new ConnectionParameters(database, password, role, address.host(e), address.poolerHost(e)));
    }
}
