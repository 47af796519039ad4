package dev.xenon.steps;

import dev.xenon.control.model.DatabaseStore;
import dev.xenon.control.model.RoleStore;
import dev.xenon.operations.Failures;
import dev.xenon.operations.Operation;
import dev.xenon.operations.PermanentFailure;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Refused;
import dev.xenon.store.Db;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What becomes of the desired state when the data plane refuses an object of it: the object is removed (the role
 * or database was never created there, so nothing is lost), the step runs again on what is left, and the operation
 * then fails with the reason. Left in place, the object would fail every later operation on the branch, and every
 * branch made from it; removed, the operations queued behind go ahead and the API lists what really exists.
 */
public final class UndoRefused implements StepRunner {
    private static final Logger log = LoggerFactory.getLogger(UndoRefused.class);
    /** A step refusing object after object is not converging: stop there. */
    private static final int MAX_REFUSALS = 10;

    private final Db db;
    private final RoleStore roles;
    private final DatabaseStore databases;
    private final StepRunner steps;

    public UndoRefused(Db db, RoleStore roles, DatabaseStore databases, StepRunner steps) {
        this.db = requireNonNull(db, "db is null");
        this.roles = requireNonNull(roles, "roles is null");
        this.databases = requireNonNull(databases, "databases is null");
        this.steps = requireNonNull(steps, "steps is null");
    }

    @Override
    public void run(Operation op) {
        List<String> reasons = new ArrayList<>();
        while (true) {
            try {
                steps.run(op);
                break;
            } catch (RuntimeException e) {
                Refused refused = Failures.find(e, Refused.class).orElseThrow(() -> e);
                if (reasons.size() >= MAX_REFUSALS) {
                    throw new PermanentFailure(String.join("; ", reasons) + "; and more", e);
                }
                undo(refused);
                reasons.add(refused.getMessage() + " (removed from branch " + refused.branchId() + ")");
            }
        }
        if (!reasons.isEmpty()) {
            throw new PermanentFailure(String.join("; ", reasons));
        }
    }

    private void undo(Refused refused) {
        log.warn("removing {} '{}' from branch {}: {}", refused.kind().name().toLowerCase(), refused.name(),
                refused.branchId(), refused.getMessage());
        db.run(h -> {
            switch (refused.kind()) {
                case ROLE -> roles.delete(h, refused.branchId(), refused.name());
                case DATABASE -> databases.find(h, refused.branchId(), refused.name())
                        .ifPresent(d -> databases.delete(h, d.id()));
            }
        });
    }
}
