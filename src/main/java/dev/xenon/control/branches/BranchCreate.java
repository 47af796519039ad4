package dev.xenon.control.branches;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.xenon.control.Check;
import dev.xenon.control.DomainException;
import dev.xenon.control.NeonName;

import java.time.Instant;
import java.util.regex.Pattern;

/** The {@code branch} object of a create request; checked on construction. */
public record BranchCreate(
        String parentId,
        String name,
        String parentLsn,
        Instant parentTimestamp,
        @JsonProperty("protected") Boolean isProtected,
        String initSource,
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
        NeonName.parse(InitSource.class, "branch.init_source", initSource);
    }

    public static BranchCreate empty() {
        return new BranchCreate(null, null, null, null, null, null, null);
    }
}
