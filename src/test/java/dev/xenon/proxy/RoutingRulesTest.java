package dev.xenon.proxy;

import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parsers that find the endpoint: SNI host, options, password. */
class RoutingRulesTest {
    private final EndpointRouter router = new EndpointRouter(Optional.of("example.test"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
            "ep-cool-darkness-123.example.test, ep-cool-darkness-123",
            "ep-cool-darkness-123-pooler.example.test, ep-cool-darkness-123",
            "EP-Upper.Example.Test., ep-upper",
            "ep-a.other.test, none",
            "deep.ep-a.example.test, none",
            "example.test, none",
            "localhost, none"})
    void serverNameNamesTheEndpoint(String host, String endpoint) {
        assertThat(router.endpointFromServerName(host)).isEqualTo(Optional.ofNullable(endpoint));
    }

    @Test
    void serverNameIsIgnoredWithoutADomain() {
        assertThat(new EndpointRouter(Optional.empty()).endpointFromServerName("ep-a.example.test")).isEmpty();
    }

    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "endpoint=ep-a | ep-a | ''",
            "--endpoint=ep-a | ep-a | ''",
            "project=ep-a | ep-a | ''",
            "-c search_path=x endpoint=ep-a | ep-a | -c search_path=x",
            "endpoint=ep-a -c application_name=my\\ app | ep-a | -c application_name=my\\ app",
            "-c geqo=off | none | -c geqo=off"})
    void optionsNameTheEndpointAndKeepTheRest(String options, String endpoint, String rest) throws PgError {
        EndpointOptions parsed = EndpointOptions.parse(Optional.of(options));
        assertThat(parsed.endpointId()).isEqualTo(Optional.ofNullable(endpoint));
        assertThat(parsed.remaining()).isEqualTo(rest);
    }

    @Test
    void optionsNamingTwoEndpointsAreRefused() {
        assertThatThrownBy(() -> EndpointOptions.parse(Optional.of("endpoint=ep-a endpoint=ep-b")))
                .isInstanceOf(PgError.class);
    }

    @Test
    void sourcesThatDisagreeAreRefused() throws PgError {
        assertThat(router.route(Optional.of("ep-a.example.test"), Optional.of("ep-a"), Optional.empty()))
                .contains("ep-a");
        assertThat(router.route(Optional.empty(), Optional.empty(), Optional.of("ep-p"))).contains("ep-p");
        assertThat(router.route(Optional.of("127.0.0.1"), Optional.empty(), Optional.empty())).isEmpty();
        assertThatThrownBy(() -> router.route(Optional.of("ep-a.example.test"), Optional.of("ep-b"), Optional.empty()))
                .isInstanceOfSatisfying(PgError.class,
                        e -> assertThat(e.state()).contains(SqlState.REJECTED_CONNECTION));
        assertThatThrownBy(() -> router.route(Optional.empty(), Optional.of("ep-a"), Optional.of("ep-p")))
                .isInstanceOf(PgError.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "none", value = {
            "endpoint=ep-a;secret | ep-a | secret",
            "endpoint=ep-a$secret | ep-a | secret",
            "project=ep-a;se;cr$et | ep-a | se;cr$et",
            "endpoint=ep-a$se;cret | ep-a | se;cret",
            "secret | none | none",
            "endpoint=;secret | none | none"})
    void passwordCarriesTheEndpoint(String password, String endpoint, String rest) {
        Optional<PasswordHack> hack = PasswordHack.parse(password);
        assertThat(hack.map(PasswordHack::endpointId)).isEqualTo(Optional.ofNullable(endpoint));
        assertThat(hack.map(PasswordHack::password)).isEqualTo(Optional.ofNullable(rest));
    }
}
