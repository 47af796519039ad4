package dev.xenon.server;

import dev.xenon.api.ApiConfig;
import dev.xenon.control.endpoints.EndpointConfig;
import dev.xenon.operations.EngineConfig;
import dev.xenon.proxy.ProxyConfig;
import dev.xenon.store.StoreConfig;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Everything a server needs to start: where it keeps its state, the addresses it listens on and names, and one
 * config per component, each with its own defaults.
 *
 * @param dataDir           state directory (--data-dir)
 * @param bindAddress       where the API, the proxy and the endpoints' ports listen (--listen)
 * @param advertisedAddress host that connection URIs name (--advertise-host)
 * @param defaultRegion     region of projects created without one
 * @param proxy             the proxy's port, domain and timeouts; where it listens, the host it advertises and its TLS
 *                          follow {@code bindAddress}, {@code advertisedAddress} and {@code security}
 */
public record ServerConfig(Path dataDir, String bindAddress, String advertisedAddress, String defaultRegion,
                           PostgresConfig postgres, StoreConfig store, EngineConfig engine, EndpointConfig endpoints,
                           ApiConfig api, DataPlaneConfig dataPlane, HistoryConfig history, ProxyConfig proxy,
                           SecurityConfig security, BackgroundConfig background) {

    public ServerConfig {
        requireNonNull(dataDir, "dataDir is null");
        requireNonNull(bindAddress, "bindAddress is null");
        requireNonNull(advertisedAddress, "advertisedAddress is null");
        requireNonNull(defaultRegion, "defaultRegion is null");
        requireNonNull(postgres, "postgres is null");
        requireNonNull(store, "store is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(endpoints, "endpoints is null");
        requireNonNull(api, "api is null");
        requireNonNull(dataPlane, "dataPlane is null");
        requireNonNull(history, "history is null");
        requireNonNull(proxy, "proxy is null");
        requireNonNull(security, "security is null");
        requireNonNull(background, "background is null");
    }

    /**
     * API and proxy listen on loopback only unless told otherwise (--listen): an embedded default must not expose
     * every tenant's endpoint to the network. Connection URIs name the same loopback address (--advertise-host).
     */
    public static ServerConfig defaults(Path dataDir, Path pgDistDir) {
        return new ServerConfig(dataDir, "127.0.0.1", "127.0.0.1", "aws-us-east-2",
                PostgresConfig.defaults(pgDistDir, dataDir), StoreConfig.DEFAULT, EngineConfig.DEFAULT,
                EndpointConfig.DEFAULT, ApiConfig.DEFAULT, DataPlaneConfig.DEFAULT, HistoryConfig.DEFAULT,
                ProxyConfig.defaults(5432, dataDir), SecurityConfig.DEFAULT, BackgroundConfig.DEFAULT);
    }

    public ServerConfig withAddresses(String bind, String advertised) {
        return new ServerConfig(dataDir, bind, advertised, defaultRegion, postgres, store, engine, endpoints, api,
                dataPlane, history, proxy, security, background);
    }

    public ServerConfig withPostgres(PostgresConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, value, store, engine,
                endpoints, api, dataPlane, history, proxy, security, background);
    }

    public ServerConfig withStore(StoreConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, value, engine,
                endpoints, api, dataPlane, history, proxy, security, background);
    }

    public ServerConfig withEngine(EngineConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, value,
                endpoints, api, dataPlane, history, proxy, security, background);
    }

    public ServerConfig withEndpoints(EndpointConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, engine,
                value, api, dataPlane, history, proxy, security, background);
    }

    public ServerConfig withApi(ApiConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, engine,
                endpoints, value, dataPlane, history, proxy, security, background);
    }

    public ServerConfig withDataPlane(DataPlaneConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, engine,
                endpoints, api, value, history, proxy, security, background);
    }

    public ServerConfig withHistory(HistoryConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, engine,
                endpoints, api, dataPlane, value, proxy, security, background);
    }

    public ServerConfig withProxy(ProxyConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, engine,
                endpoints, api, dataPlane, history, value, security, background);
    }

    public ServerConfig withSecurity(SecurityConfig value) {
        return new ServerConfig(dataDir, bindAddress, advertisedAddress, defaultRegion, postgres, store, engine,
                endpoints, api, dataPlane, history, proxy, value, background);
    }
}
