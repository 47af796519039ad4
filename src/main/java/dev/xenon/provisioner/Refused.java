package dev.xenon.provisioner;

import static java.util.Objects.requireNonNull;

/**
 * The data plane refused to create an object of a branch's desired state for what it is (a name Postgres
 * reserves, an owner that does not exist): asking again cannot help. Thrown only for objects that do not exist on
 * the data plane, so removing the object from the desired state loses nothing.
 */
public final class Refused extends RuntimeException {
    public enum Kind { ROLE, DATABASE }

    private final Kind kind;
    private final String branchId;
    private final String name;

    public Refused(Kind kind, String branchId, String name, String reason, Throwable cause) {
        super(kind.name().toLowerCase() + " '" + name + "' was refused by Postgres: " + reason, cause);
        this.kind = requireNonNull(kind, "kind is null");
        this.branchId = requireNonNull(branchId, "branchId is null");
        this.name = requireNonNull(name, "name is null");
    }

    public Kind kind() {
        return kind;
    }

    public String branchId() {
        return branchId;
    }

    public String name() {
        return name;
    }
}
