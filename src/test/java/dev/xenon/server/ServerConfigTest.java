package dev.xenon.server;

import dev.xenon.api.ApiConfig;
import dev.xenon.control.endpoints.EndpointConfig;
import dev.xenon.control.endpoints.EndpointLimits;
import dev.xenon.operations.EngineConfig;
import dev.xenon.operations.RetryPolicy;
import dev.xenon.store.StoreConfig;
import dev.xenon.units.DataSize;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The defaults every component starts with, and the settings each refuses before anything starts. */
class ServerConfigTest {
    private final ServerConfig defaults = ServerConfig.defaults(Path.of("/data"), Path.of("/dist"));

    @Test
    void theDefaultsAreTheEmbeddedOnes() {
        assertThat(defaults.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(defaults.advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(defaults.postgres().cacheDir()).isEqualTo(Path.of("/data/pg"));
        assertThat(defaults.store()).isEqualTo(new StoreConfig(Optional.empty(), 8, Duration.ofMillis(1500)));
        assertThat(defaults.engine()).isEqualTo(new EngineConfig(2, Duration.ofMinutes(2), Duration.ofMillis(500),
                new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(15), Duration.ofSeconds(60))));
        assertThat(defaults.endpoints()).isEqualTo(new EndpointConfig(55432, 56431, new EndpointLimits(10, 100)));
        assertThat(defaults.api()).isEqualTo(new ApiConfig(8080, 700, 40, Optional.empty()));
        assertThat(defaults.dataPlane()).isEqualTo(new DataPlaneConfig(DataPlaneConfig.Kind.LOCAL, 1.0 / 16, 2));
        assertThat(defaults.history()).isEqualTo(new HistoryConfig(Duration.ofSeconds(60), DataSize.ofMegabytes(256),
                1.0));
        assertThat(defaults.proxy().port()).isEqualTo(5432);
        assertThat(defaults.proxy().wakeTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(defaults.background()).isEqualTo(new BackgroundConfig(Duration.ofSeconds(1), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(5)));
    }

    @Test
    void invalidSettingsAreRefusedWithAPlainMessage() {
        assertThatThrownBy(() -> defaults.endpoints().withPorts(70000, 70001))
                .hasMessage("endpoint port range 70000-70001 is not a valid port range");
        assertThatThrownBy(() -> defaults.api().withRateLimits(0, 40)).hasMessage("rate limits must be at least 1");
        assertThatThrownBy(() -> defaults.dataPlane().withComputeMemoryScale(2))
                .hasMessage("the compute memory scale must be in (0, 1], got 2.0");
        assertThatThrownBy(() -> defaults.engine().withWorkers(-1))
                .hasMessage("operation workers must not be negative, got -1");
        assertThatThrownBy(() -> new StoreConfig(Optional.empty(), 0, Duration.ofSeconds(1)))
                .hasMessageContaining("at least 1 connection");
        assertThatThrownBy(() -> defaults.proxy().withPort(65536)).hasMessage("invalid proxy port 65536");
        assertThatThrownBy(() -> new BackgroundConfig(Duration.ZERO, Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofSeconds(5))).hasMessageContaining("must be positive");
    }

    @Test
    void secretsAreNotPrinted() {
        ServerConfig configured = defaults.withStore(defaults.store().withDatabaseUrl("postgresql://u:hunter2@h/db"))
                .withApi(defaults.api().withBootstrapApiKey("napi_secret"));
        assertThat(configured.toString()).doesNotContain("hunter2").doesNotContain("napi_secret");
    }
}
