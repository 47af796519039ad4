package dev.xenon.proxy;

import dev.xenon.proxy.protocol.Message;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.Optional;

/**
 * A logged-in connection to a compute, ready for queries.
 *
 * @param startupMessages what the compute sent after AuthenticationOk, ReadyForQuery last, BackendKeyData left out
 * @param backendKey      the compute's BackendKeyData (pid, secret), if it sent one
 */
record ComputeSession(ComputeAddress address, Socket socket, InputStream in, OutputStream out,
                      List<Message> startupMessages, Optional<BackendKey> backendKey) {
    record BackendKey(int processId, int secretKey) {
    }
}
