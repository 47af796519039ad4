/**
 * The Postgres-protocol proxy: one front door for every endpoint's compute.
 *
 * <h2>Wiring</h2>
 * The proxy knows nothing of the control plane: it asks through its own port. Implement
 * {@link dev.xenon.proxy.EndpointDirectory} (lookups, wake, SCRAM verifiers, session callbacks; an endpoint's IP
 * allowlist arrives parsed, as {@link dev.xenon.proxy.AddressRule}s), then
 * {@code new ProxyServer(ProxyConfig, EndpointDirectory)}, {@code start()}, {@code addEndpointPort(port)} for each
 * endpoint with a port of its own, {@code closeSessions(endpointId)} on delete or suspend, {@code close()} on
 * shutdown. {@link dev.xenon.proxy.IdleSuspender} decides which computes to suspend from the activity that
 * {@link dev.xenon.proxy.SessionActivity} can keep.
 *
 * <h2>Logging in to the compute without the password</h2>
 * The proxy authenticates the client itself with SCRAM-SHA-256 (or -PLUS with tls-server-end-point channel binding
 * over TLS) against the role's verifier, and recovers the client's ClientKey from the proof
 * (ClientKey = ClientProof XOR HMAC(StoredKey, AuthMessage), RFC 5802 section 3). It then opens its own connection
 * to the compute as the same role and completes SCRAM-SHA-256 there with that ClientKey, checking the compute's
 * ServerSignature with the verifier's ServerKey. This needs the compute to store <em>the same verifier</em> the
 * directory returns (create roles with {@code PASSWORD 'SCRAM-SHA-256$...'}, never re-hash the password), and a
 * pg_hba that asks for scram-sha-256, as {@code InitDb} sets up. For a cleartext password (the password hack)
 * the ClientKey is derived from the password with the verifier's salt and iteration count.
 *
 * <h2>Finding the endpoint</h2>
 * SNI host {@code <endpoint-id>[-pooler].<domain>}, then {@code options=endpoint=<id>} (also {@code --endpoint=},
 * {@code project=}), then the endpoint port; sources that disagree are refused. With none of them, over TLS only,
 * the proxy asks for a cleartext password of the form {@code endpoint=<id>;<password>} (or {@code $}).
 *
 * <h2>Postgres over WebSocket</h2>
 * {@code ProxyServer.listenHttps(port)} adds the HTTPS port ({@link dev.xenon.proxy.HttpsPort}): a WebSocket upgrade
 * on any path carries the protocol in binary frames ({@link dev.xenon.proxy.websocket.WebSocketConnection}), as
 * Neon's proxy serves the serverless driver. The session is a {@link dev.xenon.proxy.ClientSession} like any other,
 * with the WebSocket's TLS standing for the protocol's, the endpoint also named by the Host header or
 * {@code ?address=}, and a cleartext password instead of SCRAM, which the driver's pipelined start-up needs.
 *
 * <h2>Refusals (FATAL ErrorResponse)</h2>
 * <table>
 * <tr><td>08004</td><td>endpoint not specified, not found (unknown or deleted), disabled; SNI/options mismatch</td></tr>
 * <tr><td>28000</td><td>client address outside the project's IP allowlist (message names it); TLS required</td></tr>
 * <tr><td>28P01</td><td>wrong password or unknown role (indistinguishable, as in Postgres)</td></tr>
 * <tr><td>57P03</td><td>the compute could not be started ({@link dev.xenon.proxy.ComputeUnavailable})</td></tr>
 * <tr><td>08006</td><td>the compute was started but could not be reached or logged in to</td></tr>
 * <tr><td>08P01 / 0A000</td><td>protocol violations / unsupported protocol version</td></tr>
 * <tr><td>any</td><td>errors of the compute itself during start-up (say 3D000) are passed on verbatim</td></tr>
 * </table>
 */
package dev.xenon.proxy;
