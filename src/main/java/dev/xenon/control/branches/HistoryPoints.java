package dev.xenon.control.branches;

import dev.xenon.control.DomainException;
import dev.xenon.control.model.Branch;
import dev.xenon.control.model.BranchStore;
import dev.xenon.control.model.Project;
import dev.xenon.provisioner.Provisioner.HistoryRange;
import dev.xenon.provisioner.Provisioner;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Checks a point in a branch's history (an LSN, or a moment) against what is retained, and finds whose history
 * holds it. A branch's own history starts at its branch point (or its last restore); before that, its data was its
 * parent's, so the point is looked up in the parent's history, and so on up the ancestry.
 */
final class HistoryPoints {
    /** The branch whose history holds the point, and the point. */
    record Resolved(Branch source, String lsn, Instant timestamp) {}

    /**
     * What the provisioner retains of a branch and of each of its ancestors, read before the metadata transaction
     * that resolves a point in it: Db keeps disk work out of transactions.
     */
    record Histories(Map<String, Optional<HistoryRange>> byBranch) {
        static final Histories NONE = new Histories(Map.of());

        Optional<HistoryRange> of(Branch b) {
            Optional<HistoryRange> range = byBranch.get(b.id());
            if (range == null) {
                // The ancestry changed between the read and the transaction (a concurrent restore or delete).
                throw DomainException.conflict("the history of branch " + b.id() + " changed while it was read; "
                        + "try again");
            }
            return range;
        }
    }

    private final BranchStore branches;
    private final Provisioner provisioner;

    HistoryPoints(BranchStore branches, Provisioner provisioner) {
        this.branches = requireNonNull(branches, "branches is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
    }

    /** The branch and its ancestors, root last, as a transaction reads them before {@link #histories}. */
    List<Branch> lineage(Handle h, Branch branch) {
        List<Branch> lineage = new ArrayList<>();
        for (Branch b = branch; b != null; b = b.parentId() == null ? null
                : branches.findAnyState(h, b.parentId()).orElse(null)) {
            lineage.add(b);
        }
        return lineage;
    }

    /** Reads the retained history of every branch of a lineage: call outside a metadata transaction. */
    Histories histories(List<Branch> lineage) {
        Map<String, Optional<HistoryRange>> ranges = new HashMap<>();
        for (Branch b : lineage) {
            ranges.put(b.id(), provisioner.history(b.projectId(), b.id()));
        }
        return new Histories(ranges);
    }

    /** @param field how the request named the point, for messages ({@code branch.parent_lsn}, {@code source_timestamp}) */
    Resolved resolve(Handle h, Histories histories, Project project, Branch branch, String lsn, Instant timestamp,
                     Instant now, String field) {
        return lsn != null ? atLsn(h, histories, branch, lsn, field)
                : atTime(h, histories, project, branch, timestamp, now, field);
    }

    private Resolved atTime(Handle h, Histories histories, Project project, Branch branch, Instant at, Instant now, String field) {
        if (at.isAfter(now)) {
            throw DomainException.invalid(field + " " + at + " is in the future");
        }
        Instant retained = now.minus(Duration.ofSeconds(project.historyRetentionSeconds()));
        if (at.isBefore(retained)) {
            throw DomainException.invalid(field + " " + at + " is outside the project's history retention window of "
                    + project.historyRetentionSeconds() + " seconds (the earliest point now is " + retained + ")");
        }
        Branch b = branch;
        while (at.isBefore(b.historyStart())) {
            b = ancestorFor(h, b, field + " " + at, b.historyStart().toString());
        }
        Optional<HistoryRange> range = histories.of(b);
        if (range.isPresent()) {
            Instant earliest = range.get().earliestTime();
            if (earliest == null) {
                throw DomainException.invalid(field + " " + at + ": branch " + b.id() + " has no retained history yet");
            }
            if (at.isBefore(earliest)) {
                throw DomainException.invalid(field + " " + at + " is outside the retained history of branch "
                        + b.id() + ", which starts at " + earliest);
            }
        }
        return new Resolved(b, null, at);
    }

    private Resolved atLsn(Handle h, Histories histories, Branch branch, String lsn, String field) {
        long at = parse(lsn);
        Optional<HistoryRange> asked = histories.of(branch);
        if (asked.isPresent() && asked.get().currentLsn() != null
                && Long.compareUnsigned(at, parse(asked.get().currentLsn())) > 0) {
            throw DomainException.invalid(field + " " + lsn + " is beyond the current LSN of branch " + branch.id()
                    + " (" + asked.get().currentLsn() + ")");
        }
        Branch b = branch;
        while (b.parentLsn() != null && Long.compareUnsigned(at, parse(b.parentLsn())) < 0) {
            b = ancestorFor(h, b, field + " " + lsn, b.parentLsn());
        }
        Optional<HistoryRange> range = b == branch ? asked : histories.of(b);
        if (range.isPresent()) {
            String earliest = range.get().earliestLsn();
            if (earliest == null) {
                throw DomainException.invalid(field + " " + lsn + ": branch " + b.id() + " has no retained history yet");
            }
            if (Long.compareUnsigned(at, parse(earliest)) < 0) {
                throw DomainException.invalid(field + " " + lsn + " is outside the retained history of branch "
                        + b.id() + ", which starts at LSN " + earliest);
            }
        }
        return new Resolved(b, lsn, null);
    }

    /** The parent whose history holds a point before {@code b}'s own history starts (at {@code start}). */
    private Branch ancestorFor(Handle h, Branch b, String point, String start) {
        if (b.lastResetAt() != null) {
            throw DomainException.invalid(point + " is before branch " + b.id() + " was last restored (its history "
                    + "starts at " + start + "); restore from the branch that kept its earlier state instead");
        }
        if (b.parentId() == null) {
            throw DomainException.invalid(point + " is before branch " + b.id() + " was created (" + b.createdAt()
                    + ")");
        }
        return branches.findAnyState(h, b.parentId()).orElseThrow(() -> new IllegalStateException(
                "parent " + b.parentId() + " of branch " + b.id() + " is missing"));
    }

    static long parse(String lsn) {
        int slash = lsn.indexOf('/');
        return (Long.parseLong(lsn.substring(0, slash), 16) << 32) | Long.parseLong(lsn.substring(slash + 1), 16);
    }
}
