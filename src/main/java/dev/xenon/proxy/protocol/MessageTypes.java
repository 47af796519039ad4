package dev.xenon.proxy.protocol;

/**
 * Every message type byte and request code the proxy reads or writes, protocol 3.0.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-message-formats.html">Message Formats</a>
 */
public final class MessageTypes {
    // ---- Untyped first packets: Int32 length, Int32 code (protocol-message-formats.html) ----

    /** StartupMessage: the protocol version number, 3.0 = (3 << 16) | 0. */
    public static final int PROTOCOL_3_0 = 196608;
    public static final int PROTOCOL_MAJOR_3 = 3;
    /** CancelRequest: Int32(16) Int32(80877102) Int32 pid Int32 secret key. */
    public static final int CANCEL_REQUEST = 80877102;
    /** SSLRequest: the client asks for TLS before the StartupMessage (protocol-flow.html#PROTOCOL-FLOW-SSL). */
    public static final int SSL_REQUEST = 80877103;
    /** GSSENCRequest (protocol-flow.html#PROTOCOL-FLOW-GSSAPI): we always answer {@link #ENCRYPTION_REFUSED}. */
    public static final int GSSENC_REQUEST = 80877104;

    /** The single byte that accepts an SSLRequest; the TLS handshake follows at once. */
    public static final byte SSL_ACCEPTED = 'S';
    /** The single byte that refuses an SSLRequest or GSSENCRequest; the client may go on unencrypted. */
    public static final byte ENCRYPTION_REFUSED = 'N';

    /**
     * TLS record ContentType handshake (RFC 8446 section 5.1). A first byte of 0x16 instead of a length means
     * PostgreSQL 17 direct TLS negotiation (sslnegotiation=direct, protocol-flow.html#PROTOCOL-FLOW-SSL): a
     * length never starts with 0x16 because startup packets are at most 10000 bytes.
     */
    public static final int TLS_HANDSHAKE_RECORD = 0x16;
    /** The ALPN protocol id that direct TLS requires, and that libpq 17+ sends in every TLS handshake. */
    public static final String ALPN_POSTGRESQL = "postgresql";

    // ---- Backend (server to client) message types ----

    /** Authentication* family; the Int32 after the length says which (the AUTH_* codes below). */
    public static final byte AUTHENTICATION = 'R';
    public static final byte PARAMETER_STATUS = 'S';
    public static final byte BACKEND_KEY_DATA = 'K';
    public static final byte READY_FOR_QUERY = 'Z';
    public static final byte ERROR_RESPONSE = 'E';
    public static final byte NOTICE_RESPONSE = 'N';
    public static final byte NEGOTIATE_PROTOCOL_VERSION = 'v';

    // ---- Frontend (client to server) message types ----

    /** PasswordMessage, SASLInitialResponse and SASLResponse all share 'p'; the auth state tells which. */
    public static final byte PASSWORD_MESSAGE = 'p';
    public static final byte TERMINATE = 'X';

    // ---- Authentication request codes (protocol-message-formats.html, Authentication*) ----

    public static final int AUTH_OK = 0;
    public static final int AUTH_CLEARTEXT_PASSWORD = 3;
    public static final int AUTH_MD5_PASSWORD = 5;
    public static final int AUTH_SASL = 10;
    public static final int AUTH_SASL_CONTINUE = 11;
    public static final int AUTH_SASL_FINAL = 12;

    // ---- ErrorResponse / NoticeResponse field codes (protocol-error-fields.html) ----

    public static final byte FIELD_SEVERITY = 'S';
    public static final byte FIELD_SEVERITY_NON_LOCALIZED = 'V';
    public static final byte FIELD_CODE = 'C';
    public static final byte FIELD_MESSAGE = 'M';
    public static final byte FIELD_DETAIL = 'D';
    public static final byte FIELD_HINT = 'H';

    private MessageTypes() {
    }
}
