package dev.xenon.control.endpoints;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where clients reach an endpoint: always the proxy. With a proxy domain, {@code ep-<id>.<domain>} routed by SNI;
 * without one, the loopback address and the endpoint's own proxy port, so that clients which send no SNI and no
 * endpoint option still land on the right compute.
 */
public final class EndpointAddress {
    private final String proxyDomain;
    private final String advertisedAddress;
    private final int proxyPort;

    public EndpointAddress(String proxyDomain, String advertisedAddress, int proxyPort) {
        this.proxyDomain = proxyDomain;
        this.advertisedAddress = advertisedAddress;
        this.proxyPort = proxyPort;
    }

    public String host(Endpoint e) {
        return proxyDomain == null ? hostPort(advertisedAddress, e.proxyPort()) : e.id() + "." + proxyDomain;
    }

    public String poolerHost(Endpoint e) {
        return proxyDomain == null ? hostPort(advertisedAddress, e.proxyPort()) : e.id() + "-pooler." + proxyDomain;
    }

    public String proxyHost() {
        return proxyDomain == null ? hostPort(advertisedAddress, proxyPort) : proxyDomain;
    }

    public String uri(Endpoint e, String role, String password, String database, boolean pooled) {
        String host = pooled ? poolerHost(e) : host(e);
        String port = proxyDomain != null && proxyPort != 5432 ? ":" + proxyPort : "";
        return "postgresql://" + encode(role) + ":" + encode(password) + "@" + host + port + "/" + encode(database)
                + "?sslmode=require&channel_binding=require";
    }

    private static String hostPort(String address, Integer port) {
        return port == null ? address : address + ":" + port;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
