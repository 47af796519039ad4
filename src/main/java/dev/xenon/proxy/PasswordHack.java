package dev.xenon.proxy;

import java.util.List;
import java.util.Optional;

/**
 * The endpoint carried in the password, for clients that can send neither SNI nor options:
 * {@code endpoint=<id>;<password>} or {@code endpoint=<id>$<password>} (and the older {@code project=} prefix),
 * as Neon accepts. The endpoint must be known before SCRAM starts, so this needs cleartext password auth.
 */
record PasswordHack(String endpointId, String password) {
    private static final List<String> PREFIXES = List.of("endpoint=", "project=");

    static Optional<PasswordHack> parse(String password) {
        for (String prefix : PREFIXES) {
            if (!password.startsWith(prefix)) {
                continue;
            }
            String rest = password.substring(prefix.length());
            int semicolon = rest.indexOf(';');
            int dollar = rest.indexOf('$');
            int end = semicolon < 0 ? dollar : dollar < 0 ? semicolon : Math.min(semicolon, dollar);
            if (end <= 0) {
                return Optional.empty();
            }
            return Optional.of(new PasswordHack(rest.substring(0, end), rest.substring(end + 1)));
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "PasswordHack[endpointId=" + endpointId + ", password=***]";
    }
}
