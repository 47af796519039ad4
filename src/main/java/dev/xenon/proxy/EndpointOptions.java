package dev.xenon.proxy;

import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The endpoint selection inside the {@code options} startup parameter ({@code endpoint=ep-x}, {@code --endpoint=ep-x}
 * or the older {@code project=ep-x}), and the rest of the options for the compute. Options are split as Postgres
 * splits them (pg_split_opts in postinit.c): on whitespace, a backslash taking the next character literally.
 */
record EndpointOptions(Optional<String> endpointId, String remaining) {
    private static final List<String> PREFIXES = List.of("endpoint=", "--endpoint=", "project=", "--project=");

    static EndpointOptions parse(Optional<String> options) throws PgError {
        if (options.isEmpty()) {
            return new EndpointOptions(Optional.empty(), "");
        }
        String endpoint = null;
        List<String> rest = new ArrayList<>();
        for (String token : split(options.get())) {
            String value = valueOf(token);
            if (value == null) {
                rest.add(token);
                continue;
            }
            if (value.isEmpty() || endpoint != null && !endpoint.equals(value)) {
                throw new PgError(SqlState.REJECTED_CONNECTION,
                        "the options startup parameter names the endpoint more than once, or with an empty id");
            }
            endpoint = value;
        }
        return new EndpointOptions(Optional.ofNullable(endpoint), join(rest));
    }

    private static String valueOf(String token) {
        for (String prefix : PREFIXES) {
            if (token.startsWith(prefix)) {
                return token.substring(prefix.length());
            }
        }
        return null;
    }

    static List<String> split(String options) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = new StringBuilder();
        boolean inToken = false;
        for (int i = 0; i < options.length(); i++) {
            char c = options.charAt(i);
            if (c == '\\' && i + 1 < options.length()) {
                token.append(options.charAt(++i));
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    tokens.add(token.toString());
                    token.setLength(0);
                    inToken = false;
                }
            } else {
                token.append(c);
                inToken = true;
            }
        }
        if (inToken) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    static String join(List<String> tokens) {
        StringBuilder joined = new StringBuilder();
        for (String token : tokens) {
            if (!joined.isEmpty()) {
                joined.append(' ');
            }
            for (char c : token.toCharArray()) {
                if (c == '\\' || Character.isWhitespace(c)) {
                    joined.append('\\');
                }
                joined.append(c);
            }
        }
        return joined.toString();
    }
}
