package dev.xenon.control.branches;

import dev.xenon.control.Check;
import dev.xenon.control.DomainException;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * A restore request (Neon's {@code BranchRestoreRequest}): the source branch, optionally a point in its history
 * (its head otherwise), and optionally a name under which the restored branch's current state is kept.
 */
public record BranchRestore(String sourceBranchId, String sourceLsn, Instant sourceTimestamp,
                            String preserveUnderName) {
    private static final Pattern LSN = Pattern.compile("[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}");

    public BranchRestore {
        if (sourceBranchId == null || sourceBranchId.isEmpty()) {
            throw DomainException.invalid("source_branch_id is required");
        }
        if (sourceLsn != null && !LSN.matcher(sourceLsn).matches()) {
            throw DomainException.invalid("source_lsn '" + sourceLsn + "' is not an LSN like 0/1A7F730");
        }
        if (sourceLsn != null && sourceTimestamp != null) {
            throw DomainException.invalid("source_lsn and source_timestamp cannot both be given");
        }
        if (preserveUnderName != null && preserveUnderName.isEmpty()) {
            preserveUnderName = null;
        }
        Check.length("preserve_under_name", preserveUnderName, 1, 256);
    }

    boolean pointInTime() {
        return sourceLsn != null || sourceTimestamp != null;
    }
}
