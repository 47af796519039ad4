package dev.xenon.control.operations;

import dev.xenon.control.Access;
import dev.xenon.control.DomainException;
import dev.xenon.control.model.ProjectStore;
import dev.xenon.operations.Operation;
import dev.xenon.operations.OperationStore;
import dev.xenon.store.Db;
import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/** A project's operations, as its owner may see them. */
public final class OperationService {
    private final Db db;
    private final ProjectStore projects;
    private final OperationStore operations;

    public OperationService(Db db, ProjectStore projects, OperationStore operations) {
        this.db = requireNonNull(db, "db is null");
        this.projects = requireNonNull(projects, "projects is null");
        this.operations = requireNonNull(operations, "operations is null");
    }

    /** Newest first, after the operation {@code after} (the last of the previous page) when not null. */
    public List<Operation> list(Access access, String projectId, UUID after, int limit) {
        return db.read(h -> {
            requireProject(h, access, projectId);
            return operations.list(h, projectId, after, limit);
        });
    }

    /** @param operationId as the caller gave it: anything but one of the project's operation ids is not found */
    public Operation get(Access access, String projectId, String operationId) {
        return db.read(h -> {
            requireProject(h, access, projectId);
            UUID id;
            try {
                id = UUID.fromString(operationId);
            } catch (IllegalArgumentException e) {
                throw DomainException.notFound("operation " + operationId + " not found");
            }
            return operations.find(h, projectId, id)
                    .orElseThrow(() -> DomainException.notFound("operation " + operationId + " not found"));
        });
    }

    private void requireProject(Handle h, Access access, String projectId) {
        if (projects.find(h, access, projectId, false).isEmpty()) {
            throw DomainException.notFound("project " + projectId + " not found");
        }
    }
}
