package dev.xenon.provisioner.local.compute;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.provisioner.Provisioner.DatabaseSpec;
import dev.xenon.provisioner.Provisioner.TimelineSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What Xenon last applied to a branch's data: the roles it manages (only those are ever dropped, so roles users
 * made with SQL survive) and its databases by id (so a rename is told apart from a drop and a create).
 * {@code pending} means the metadata may differ from the data: apply before anyone uses it.
 */
public record ReconcileState(Set<String> roles, Map<Long, String> databases, boolean pending) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static final ReconcileState EMPTY_PENDING = new ReconcileState(Set.of(), Map.of(), true);

    public ReconcileState {
        roles = Set.copyOf(roles);
        databases = Map.copyOf(databases);
    }

    public static ReconcileState of(TimelineSpec spec) {
        Set<String> roles = new TreeSet<>();
        spec.roles().forEach(r -> roles.add(r.name()));
        Map<Long, String> databases = new HashMap<>();
        spec.databases().forEach(d -> databases.put(d.id(), d.name()));
        return new ReconcileState(roles, databases, false);
    }

    /**
     * The state of a copy of this branch's data made for {@code child}: the same managed roles and databases,
     * re-keyed by name to the ids the child's copies of the databases got.
     */
    public ReconcileState forChild(TimelineSpec child) {
        Map<Long, String> rekeyed = new HashMap<>();
        for (DatabaseSpec db : child.databases()) {
            if (databases.containsValue(db.name())) {
                rekeyed.put(db.id(), db.name());
            }
        }
        return new ReconcileState(roles, rekeyed, true);
    }

    public static ReconcileState read(Path file) {
        try {
            if (!Files.exists(file)) {
                return EMPTY_PENDING;
            }
            return JSON.readValue(file.toFile(), ReconcileState.class);
        } catch (IOException e) {
            throw new UncheckedIOException("while reading " + file, e);
        }
    }

    public void write(Path file) {
        try {
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writeValue(temp.toFile(), this);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("while writing " + file, e);
        }
    }
}
