package dev.xenon.proxy.scram;

import dev.xenon.control.model.ScramVerifier;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScramExchangeTest {
    private static final String PASSWORD = "correct horse";
    private final SecureRandom random = new SecureRandom();
    private final ScramKeys keys = ScramKeys.parse(ScramVerifier.of(PASSWORD)).orElseThrow();
    private final byte[] binding = ScramMath.sha256("the certificate".getBytes(StandardCharsets.UTF_8));

    /** A client written from RFC 5802 alone: SaltedPassword from the password, not from our ScramKeys. */
    private String[] clientExchange(ScramServer server, String password, String gs2Header, byte[] cbData)
            throws PgError {
        String bare = "n=,r=clientnonce";
        String serverFirst = server.serverFirst(gs2Header + bare);
        String[] attrs = serverFirst.split(",");
        byte[] salt = Base64.getDecoder().decode(attrs[1].substring(2));
        int iterations = Integer.parseInt(attrs[2].substring(2));
        byte[] header = gs2Header.getBytes(StandardCharsets.UTF_8);
        byte[] cbind = cbData == null ? header : concat(header, cbData);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbind) + "," + attrs[0];
        String authMessage = bare + "," + serverFirst + "," + withoutProof;
        byte[] salted = ScramMath.saltedPassword(password, salt, iterations);
        byte[] clientKey = ScramMath.hmac(salted, "Client Key");
        byte[] proof = ScramMath.xor(clientKey, ScramMath.hmac(ScramMath.sha256(clientKey), authMessage));
        String serverFinal = server.serverFinal(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
        String expected = "v=" + Base64.getEncoder().encodeToString(
                ScramMath.hmac(ScramMath.hmac(salted, "Server Key"), authMessage));
        return new String[] {serverFinal, expected};
    }

    @Test
    void rightPasswordSucceedsAndYieldsTheClientKey() throws PgError {
        ScramServer server = new ScramServer(ScramServer.SCRAM_SHA_256, keys, Optional.empty(), "alice", random);
        String[] finals = clientExchange(server, PASSWORD, "n,,", null);
        assertThat(finals[0]).isEqualTo(finals[1]);
        assertThat(server.credentials().clientKey()).isEqualTo(keys.clientKeyOf(PASSWORD).orElseThrow());
    }

    @Test
    void channelBindingOverTlsSucceeds() throws PgError {
        ScramServer server = new ScramServer(ScramServer.SCRAM_SHA_256_PLUS, keys, Optional.of(binding), "alice", random);
        String[] finals = clientExchange(server, PASSWORD, "p=tls-server-end-point,,", binding);
        assertThat(finals[0]).isEqualTo(finals[1]);
    }

    @Test
    void channelBindingToAnotherCertificateFails() throws PgError {
        ScramServer server = new ScramServer(ScramServer.SCRAM_SHA_256_PLUS, keys, Optional.of(binding), "alice", random);
        byte[] other = ScramMath.sha256("a man in the middle".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> clientExchange(server, PASSWORD, "p=tls-server-end-point,,", other))
                .isInstanceOfSatisfying(PgError.class, e -> {
                    assertThat(e.state()).contains(SqlState.PROTOCOL_VIOLATION);
                    assertThat(e).hasMessageContaining("channel binding check failed");
                });
    }

    @Test
    void clientThatCouldBindButWasNotOfferedPlusDetectsNothingButWeDo() throws PgError {
        // "y": the client supports binding but saw no -PLUS; since we offered it, someone stripped it (downgrade).
        ScramServer server = new ScramServer(ScramServer.SCRAM_SHA_256, keys, Optional.of(binding), "alice", random);
        assertThatThrownBy(() -> server.serverFirst("y,,n=,r=abc")).isInstanceOf(PgError.class)
                .hasMessageContaining("negotiation");
        ScramServer plain = new ScramServer(ScramServer.SCRAM_SHA_256, keys, Optional.empty(), "alice", random);
        assertThat(plain.serverFirst("y,,n=,r=abc")).startsWith("r=abc");
    }

    @Test
    void wrongPasswordIs28P01() throws PgError {
        ScramServer server = new ScramServer(ScramServer.SCRAM_SHA_256, keys, Optional.empty(), "alice", random);
        assertThatThrownBy(() -> clientExchange(server, "wrong", "n,,", null))
                .isInstanceOfSatisfying(PgError.class, e -> assertThat(e.state()).contains(SqlState.INVALID_PASSWORD))
                .hasMessage("password authentication failed for user \"alice\"");
    }

    @Test
    void recoveredClientKeyLogsInToAServerWithTheSameVerifier() throws Exception {
        ScramServer fromClient = new ScramServer(ScramServer.SCRAM_SHA_256, keys, Optional.empty(), "alice", random);
        clientExchange(fromClient, PASSWORD, "n,,", null);
        ScramCredentials credentials = fromClient.credentials();

        // The compute: a second server holding the same verifier.
        ScramServer compute = new ScramServer(ScramServer.SCRAM_SHA_256, keys, Optional.empty(), "alice", random);
        ScramClient proxy = new ScramClient(credentials, random);
        String serverFirst = compute.serverFirst(proxy.clientFirst());
        String serverFinal = compute.serverFinal(proxy.clientFinal(serverFirst));
        proxy.verifyServerFinal(serverFinal);
    }

    @Test
    void proxyRejectsAComputeThatDoesNotKnowTheServerKey() throws Exception {
        ScramCredentials credentials = new ScramCredentials(keys, keys.clientKeyOf(PASSWORD).orElseThrow());
        ScramClient proxy = new ScramClient(credentials, random);
        String nonce = proxy.clientFirst().substring("n,,n=,r=".length());
        proxy.clientFinal("r=" + nonce + "server,s=c2FsdA==,i=4096");
        assertThatThrownBy(() -> proxy.verifyServerFinal("v=" + Base64.getEncoder().encodeToString(new byte[32])))
                .isInstanceOf(ScramException.class);
    }

    @Test
    void cleartextPasswordIsCheckedAgainstTheVerifier() {
        assertThat(keys.clientKeyOf(PASSWORD)).isPresent();
        assertThat(keys.clientKeyOf("wrong")).isEmpty();
        assertThat(ScramKeys.parse("md5abcdef")).isEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
