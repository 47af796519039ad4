package dev.xenon.proxy.protocol;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Why a connection ends before it is relayed, as the FATAL ErrorResponse the client receives. Either the proxy's
 * own refusal (a SQLSTATE and message) or a compute's ErrorResponse passed on verbatim.
 */
public final class PgError extends Exception {
    private final SqlState state;
    private final String hint;
    private final byte[] forwardedBody;

    public PgError(SqlState state, String message) {
        this(state, message, null);
    }

    public PgError(SqlState state, String message, String hint) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.state = requireNonNull(state, "state is null");
        this.hint = hint;
        this.forwardedBody = null;
    }

    private PgError(byte[] body, String summary) {
        super(summary, null, false, false);
        this.state = null;
        this.hint = null;
        this.forwardedBody = body.clone();
    }

    /** A compute's ErrorResponse body, relayed to the client as is. */
    public static PgError forwarded(byte[] errorResponseBody) {
        return new PgError(errorResponseBody, ErrorFields.summary(errorResponseBody));
    }

    /** The SQLSTATE, when this is the proxy's own error. */
    public Optional<SqlState> state() {
        return Optional.ofNullable(state);
    }

    /** The ErrorResponse body to send. */
    public byte[] responseBody() {
        return forwardedBody != null ? forwardedBody.clone() : ErrorFields.fatal(state.code(), getMessage(), hint);
    }
}
