package dev.xenon.proxy.protocol;

/**
 * The SQLSTATE codes the proxy itself answers with.
 *
 * @see <a href="https://www.postgresql.org/docs/current/errcodes-appendix.html">PostgreSQL Error Codes</a>
 */
public enum SqlState {
    /** Unknown, deleted or disabled endpoint, or no endpoint named at all: the server refuses the connection. */
    REJECTED_CONNECTION("08004"),
    /** The compute could be started but not reached. */
    CONNECTION_FAILURE("08006"),
    PROTOCOL_VIOLATION("08P01"),
    /** The client's address is not in the project's IP allowlist, or TLS is required; Postgres' pg_hba code. */
    INVALID_AUTHORIZATION("28000"),
    INVALID_PASSWORD("28P01"),
    /**
     * Too many failed logins of a role from one address; Neon's proxy answers its authentication rate limits
     * with this class 53 code too.
     */
    TOO_MANY_CONNECTIONS("53300"),
    /** The compute could not be started (or woken) in time. */
    CANNOT_CONNECT_NOW("57P03"),
    /** Unsupported frontend protocol version, as Postgres answers it. */
    FEATURE_NOT_SUPPORTED("0A000"),
    INTERNAL_ERROR("XX000");

    private final String code;

    SqlState(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
