package dev.xenon.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.control.model.ApiKeyStore;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.EndpointStore;
import dev.xenon.control.model.OrgStore;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.control.model.UserStore;
import dev.xenon.operations.OperationStore;
import dev.xenon.store.CommitSignal;
import dev.xenon.store.Db;

/**
 * Every metadata table's store, and the signals they raise inside a transaction and {@link Db} fires once it
 * commits: queued operations (the engine listens) and changed endpoint ports (the proxy listens).
 */
record MetadataStores(ProjectStore projects, BranchStore branches, EndpointStore endpoints, RoleStore roles,
                      DatabaseStore databases, OperationStore operations, ApiKeyStore keys, UserStore users,
                      OrgStore orgs, CommitSignal operationsQueued, CommitSignal endpointPortsChanged) {

    static MetadataStores open(ObjectMapper json, Db db, ServerConfig config) {
        CommitSignal operationsQueued = new CommitSignal();
        CommitSignal endpointPortsChanged = new CommitSignal();
        return new MetadataStores(new ProjectStore(json), new BranchStore(json),
                new EndpointStore(json, endpointPortsChanged),
                PasswordKey.openRoleStore(config.security(), config.dataDir(), db), new DatabaseStore(),
                new OperationStore(operationsQueued), new ApiKeyStore(), new UserStore(), new OrgStore(),
                operationsQueued, endpointPortsChanged);
    }
}
