package dev.xenon.server;

import dev.xenon.api.Readiness;
import dev.xenon.operations.OperationEngine;
import dev.xenon.proxy.ProxyServer;
import dev.xenon.store.Db;

import java.util.List;
import java.util.Optional;

/** What {@code /readyz} checks: the parts without which the server cannot do its job. */
final class ReadinessChecks {
    private ReadinessChecks() {
    }

    static Readiness of(Db db, ProxyServer proxy, OperationEngine engine) {
        return new Readiness(List.of(
                new Readiness.Check("metadata_store", () -> db.answers() ? Optional.empty()
                        : Optional.of("the metadata store does not answer")),
                new Readiness.Check("proxy", () -> proxy.listening() ? Optional.empty()
                        : Optional.of("the proxy is not accepting connections on port " + proxy.port())),
                new Readiness.Check("operation_workers", () -> engine.workersAlive() ? Optional.empty()
                        : Optional.of("not every operation worker is running"))));
    }
}
