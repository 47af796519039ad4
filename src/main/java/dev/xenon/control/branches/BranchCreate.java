package dev.xenon.control.branches;

import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.InitSource;

import java.time.Instant;
import java.util.regex.Pattern;

/** A branch to create; null fields take their defaults (the default branch as parent, its head). */
public record BranchCreate(
        String parentId,
        String name,
        String parentLsn,
        Instant parentTimestamp,
        Boolean isProtected,
        InitSource initSource,
        Instant expiresAt) {

    private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    public BranchCreate {
        Check.length("branch.name", name, 1, 256);
        if (parentLsn != null && !LSN.matcher(parentLsn).matches()) {
            throw DomainException.invalid("branch.parent_lsn '" + parentLsn + "' is not an LSN like 0/1A7F730");
        }
        if (parentLsn != null && parentTimestamp != null) {
            throw DomainException.invalid("branch.parent_lsn and branch.parent_timestamp cannot both be given");
        }
    }

    public static BranchCreate empty() {
        return new BranchCreate(null, null, null, null, null, null, null);
    }
}
