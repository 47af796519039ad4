package dev.xenon.server;

import dev.xenon.control.Ids;
import dev.xenon.control.Regions;
import dev.xenon.control.access.Authorization;
import dev.xenon.control.access.BranchScope;
import dev.xenon.control.apikeys.ApiKeyService;
import dev.xenon.control.branches.BranchService;
import dev.xenon.control.databases.DatabaseService;
import dev.xenon.control.endpoints.EndpointConfig;
import dev.xenon.control.endpoints.EndpointPorts;
import dev.xenon.control.endpoints.EndpointService;
import dev.xenon.control.operations.OperationService;
import dev.xenon.control.orgs.OrgService;
import dev.xenon.control.projects.ProjectService;
import dev.xenon.control.roles.RoleService;
import dev.xenon.control.users.UserService;
import dev.xenon.provisioner.Provisioner;
import dev.xenon.store.Db;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;

/** The control plane's services: what the API, the proxy's directory and the background chores call. */
record Services(Ids ids, Regions regions, Authorization authorization, ProjectService projects,
                BranchService branches, EndpointService endpoints, RoleService roles, DatabaseService databases,
                ApiKeyService keys, OperationService operations, OrgService orgs, UserService users) {

    static Services build(Db db, MetadataStores s, Provisioner provisioner, ServerConfig config, Clock clock)
            throws IOException {
        Ids ids = new Ids();
        Regions regions = new Regions(config.defaultRegion());
        Authorization authorization = new Authorization(s.orgs());
        EndpointConfig endpointConfig = config.endpoints();
        EndpointService endpoints = new EndpointService(db, s.projects(), s.branches(), s.endpoints(),
                s.operations(), regions, ids, clock, new EndpointPorts(s.endpoints(), endpointConfig.firstPort(),
                        endpointConfig.lastPort(), EndpointPorts.bindingOn(InetAddress.getByName(config.bindAddress()))),
                endpointConfig.limits());
        BranchService branches = new BranchService(db, s.projects(), s.branches(), s.endpoints(), s.roles(),
                s.databases(), s.operations(), endpoints, ids, clock, provisioner);
        BranchScope scope = new BranchScope(s.projects(), s.branches(), s.endpoints(), s.operations());
        RoleService roles = new RoleService(db, scope, s.roles(), s.databases(), ids, clock);
        DatabaseService databases = new DatabaseService(db, scope, s.databases(), s.roles(), clock);
        ProjectService projects = new ProjectService(db, s.projects(), s.branches(), s.databases(), s.endpoints(),
                s.roles(), s.operations(), authorization, endpoints, branches, roles, regions, ids, clock);
        return new Services(ids, regions, authorization, projects, branches, endpoints, roles, databases,
                new ApiKeyService(db, s.keys(), authorization, s.projects(), ids, clock),
                new OperationService(db, s.projects(), s.operations()),
                new OrgService(db, s.orgs(), s.users(), s.keys(), authorization, ids, clock),
                new UserService(db, s.users()));
    }
}
