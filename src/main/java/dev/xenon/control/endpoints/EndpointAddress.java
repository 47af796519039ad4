package dev.xenon.control.endpoints;

import dev.xenon.control.model.Endpoint;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where clients reach an endpoint: always the proxy. With a proxy domain, {@code ep-<id>.<domain>} routed by SNI;
 * without one, the advertised host (--advertise-host) and the endpoint's own proxy port, so that clients which send
 * no SNI and no endpoint option still land on the right compute.
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

    /**
     * The host clients connect to. A port other than Postgres's default is part of it, because clients such as
     * neonctl build connection strings from {@code host} alone.
     */
    public String host(Endpoint e) {
        return proxyDomain == null ? hostPort(advertisedAddress, e.proxyPort()) : named(e.id());
    }

    public String poolerHost(Endpoint e) {
        return proxyDomain == null ? hostPort(advertisedAddress, e.proxyPort()) : named(e.id() + "-pooler");
    }

    public String proxyHost() {
        return proxyDomain == null ? hostPort(advertisedAddress, proxyPort) : proxyDomain;
    }

    private String named(String label) {
        return label + "." + proxyDomain + (proxyPort == 5432 ? "" : ":" + proxyPort);
    }

    public String uri(Endpoint e, String role, String password, String database, boolean pooled) {
        String host = pooled ? poolerHost(e) : host(e);
        return "postgresql://" + encode(role) + ":" + encode(password) + "@" + host + "/" + encode(database)
                + "?sslmode=require&channel_binding=require";
    }

    private static String hostPort(String address, Integer port) {
        // An IPv6 literal takes brackets in a URI's host, so its colons are not read as the port's.
        String host = address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
        return port == null ? host : host + ":" + port;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
