package dev.xenon.proxy;

import dev.xenon.proxy.tls.TlsIdentity;

/** The collaborators every client session shares; built once by {@link ProxyServer}. */
record ProxyServices(ProxyConfig config, EndpointDirectory directory, TlsIdentity tls, EndpointRouter router,
                     ClientAuthenticator authenticator, SharedWakes wakes, ComputeLogin computeLogin,
                     CancelKeys cancelKeys) {
}
