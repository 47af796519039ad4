package dev.xenon.proxy.websocket;

import java.util.OptionalInt;

/** {@code host[:port]} as a Host header or Neon's wsproxy {@code ?address=} carries it; IPv6 in brackets. */
public record HostAndPort(String host, OptionalInt port) {

    public static HostAndPort parse(String text) {
        String host = text.strip();
        String port = null;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close > 0) {
                port = host.startsWith(":", close + 1) ? host.substring(close + 2) : null;
                host = host.substring(1, close);
            }
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            port = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
        }
        return new HostAndPort(host, parsePort(port));
    }

    private static OptionalInt parsePort(String port) {
        if (port == null || port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
            return OptionalInt.empty();
        }
        int value = Integer.parseInt(port);
        return value >= 1 && value <= 65535 ? OptionalInt.of(value) : OptionalInt.empty();
    }
}
