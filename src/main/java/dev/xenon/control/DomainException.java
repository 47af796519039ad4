package dev.xenon.control;

/**
 * A refusal the caller caused. The api layer maps each kind to Neon's error body and status in one place;
 * anything else that escapes a service is a server fault.
 */
public sealed class DomainException extends RuntimeException {
    private DomainException(String message) {
        super(message, null, false, false);
    }

    public static final class Invalid extends DomainException {
        public Invalid(String message) { super(message); }
    }

    public static final class NotFound extends DomainException {
        public NotFound(String message) { super(message); }
    }

    public static final class Conflict extends DomainException {
        public Conflict(String message) { super(message); }
    }

    /** A conflicting operation is still in progress; Neon answers 423 and clients retry. */
    public static final class Locked extends DomainException {
        public Locked(String message) { super(message); }
    }

    public static final class Forbidden extends DomainException {
        public Forbidden(String message) { super(message); }
    }

    /** The resource exists but a precondition of the request does not hold (HTTP 412). */
    public static final class PreconditionFailed extends DomainException {
        public PreconditionFailed(String message) { super(message); }
    }

    public static Invalid invalid(String message) { return new Invalid(message); }

    public static NotFound notFound(String message) { return new NotFound(message); }

    public static Conflict conflict(String message) { return new Conflict(message); }
}
