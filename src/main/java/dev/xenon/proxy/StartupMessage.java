package dev.xenon.proxy;

import dev.xenon.proxy.protocol.MessageTypes;
import dev.xenon.proxy.protocol.PacketReader;
import dev.xenon.proxy.protocol.PgError;
import dev.xenon.proxy.protocol.SqlState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed StartupMessage: protocol version and parameters in the client's order
 * (protocol-message-formats.html, StartupMessage).
 */
record StartupMessage(int version, Map<String, String> parameters) {
    /** Protocol options ("_pq_.name") are for the protocol layer, never for the server as settings. */
    private static final String PROTOCOL_OPTION_PREFIX = "_pq_.";

    StartupMessage {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Parses the body after the version code; the caller has checked the major version. */
    static StartupMessage parse(int version, PacketReader body) throws PgError {
        Map<String, String> parameters = new LinkedHashMap<>();
        while (true) {
            String name = body.cstring();
            if (name.isEmpty()) {
                break;
            }
            parameters.put(name, body.cstring());
        }
        if (!body.atEnd()) {
            throw new PgError(SqlState.PROTOCOL_VIOLATION, "invalid startup packet layout: expected terminator as last byte");
        }
        String user = parameters.get("user");
        if (user == null || user.isEmpty()) {
            // Postgres' own answer (backend_startup.c).
            throw new PgError(SqlState.INVALID_AUTHORIZATION, "no PostgreSQL user name specified in startup packet");
        }
        return new StartupMessage(version, parameters);
    }

    String user() {
        return parameters.get("user");
    }

    /** The database; Postgres defaults it to the user name. */
    String database() {
        String database = parameters.get("database");
        return database == null || database.isEmpty() ? user() : database;
    }

    Optional<String> options() {
        return Optional.ofNullable(parameters.get("options"));
    }

    int minorVersion() {
        return version & 0xffff;
    }

    /** The protocol options the client asked for; we know none, so NegotiateProtocolVersion lists them all. */
    List<String> protocolOptions() {
        List<String> names = new ArrayList<>();
        parameters.keySet().stream().filter(n -> n.startsWith(PROTOCOL_OPTION_PREFIX)).forEach(names::add);
        return names;
    }

    /** Whether the client asked for more than protocol 3.0 gives, so we must answer NegotiateProtocolVersion. */
    boolean needsNegotiation() {
        return minorVersion() > 0 || !protocolOptions().isEmpty();
    }

    /**
     * The parameters for the compute's StartupMessage: everything the client sent except protocol options, with
     * {@code options} replaced by what is left once the endpoint selection is taken out (empty: dropped).
     */
    Map<String, String> forCompute(String remainingOptions) {
        Map<String, String> result = new LinkedHashMap<>();
        parameters.forEach((name, value) -> {
            if (!name.startsWith(PROTOCOL_OPTION_PREFIX) && !name.equals("options")) {
                result.put(name, value);
            }
        });
        result.put("database", database());
        if (!remainingOptions.isBlank()) {
            result.put("options", remainingOptions);
        }
        return result;
    }

    static boolean isProtocol3(int version) {
        return version >>> 16 == MessageTypes.PROTOCOL_MAJOR_3;
    }
}
