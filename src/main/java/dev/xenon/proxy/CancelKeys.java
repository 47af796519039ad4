package dev.xenon.proxy;

import dev.xenon.proxy.protocol.FrontendMessages;
import dev.xenon.proxy.protocol.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import static java.util.Objects.requireNonNull;

/**
 * The cancel keys the proxy hands clients in BackendKeyData, each standing for one compute backend's real pid and
 * secret. Clients never see a compute's own key, and a CancelRequest (which carries no other identification,
 * protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS) is forwarded to the compute the key was issued for.
 */
final class CancelKeys {
    private static final Logger LOG = LoggerFactory.getLogger(CancelKeys.class);

    /** The key a client holds. */
    record Key(int processId, int secretKey) {
    }

    private record Target(int secretKey, ComputeAddress address, ComputeSession.BackendKey backend) {
    }

    private final Map<Integer, Target> targets = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final Duration connectTimeout;

    CancelKeys(SecureRandom random, Duration connectTimeout) {
        this.random = requireNonNull(random, "random is null");
        this.connectTimeout = requireNonNull(connectTimeout, "connectTimeout is null");
    }

    Key issue(ComputeAddress address, ComputeSession.BackendKey backend) {
        int secret = random.nextInt();
        while (true) {
            // Keep the pid positive: some clients print it, and Postgres pids are never negative.
            int processId = random.nextInt(1, Integer.MAX_VALUE);
            if (targets.putIfAbsent(processId, new Target(secret, address, backend)) == null) {
                return new Key(processId, secret);
            }
        }
    }

    void release(Key key) {
        targets.remove(key.processId());
    }

    /** Forwards a client's CancelRequest; unknown keys are ignored, as Postgres ignores them. */
    void cancel(int processId, int secretKey) {
        Target target = targets.get(processId);
        if (target == null || !MessageDigest.isEqual(intBytes(target.secretKey()), intBytes(secretKey))) {
            LOG.debug("ignoring a CancelRequest with an unknown key");
            return;
        }
        Optional<Exception> failure = send(target);
        failure.ifPresent(e -> LOG.info("could not forward a CancelRequest to the compute at {}:{}: {}",
                target.address().host(), target.address().port(), e.getMessage()));
    }

    int size() {
        return targets.size();
    }

    private Optional<Exception> send(Target target) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.address().host(), target.address().port()),
                    (int) connectTimeout.toMillis());
            OutputStream out = socket.getOutputStream();
            Wire.writeStartupPacket(out, FrontendMessages.cancelRequest(target.backend().processId(),
                    target.backend().secretKey()));
            out.flush();
            // Postgres answers nothing and closes; wait for that so the cancel is delivered before we return.
            socket.setSoTimeout((int) connectTimeout.toMillis());
            socket.getInputStream().read();
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(e);
        }
    }

    private static byte[] intBytes(int value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }
}
