package dev.xenon.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.store.CommitSignal;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static dev.xenon.store.Rows.instant;
import static java.util.Objects.requireNonNull;

/**
 * The persistent operation queue. An operation touches a set of resources (branch and endpoint ids); it runs only
 * after every earlier unfinished operation that shares one of them, which keeps steps on one branch in order.
 */
public final class OperationStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, project_id, branch_id, endpoint_id, action, status, failures_count, "
            + "error, retry_at, created_at, updated_at, total_duration_ms";

    private final CommitSignal queued;

    /** @param queued raised by every enqueue, so that workers start on it as soon as it is committed */
    public OperationStore(CommitSignal queued) {
        this.queued = requireNonNull(queued, "queued is null");
    }

    public Operation enqueue(Handle h, String projectId, String branchId, String endpointId, OperationAction action,
                             List<String> resources, Instant at) {
        return enqueue(h, projectId, branchId, endpointId, action, resources, at, Map.of());
    }

    /** @param params what the step needs beyond the branch and endpoint (null values are left out) */
    public Operation enqueue(Handle h, String projectId, String branchId, String endpointId, OperationAction action,
                             List<String> resources, Instant at, Map<String, String> params) {
        Map<String, String> given = new TreeMap<>();
        params.forEach((k, v) -> {
            if (v != null) {
                given.put(k, v);
            }
        });
        Operation operation = h.createQuery("insert into operations (id, project_id, branch_id, endpoint_id, action, "
                        + "status, resources, created_at, updated_at, params) values (:id, :project, :branch, "
                        + ":endpoint, :action, 'scheduling', :resources, :at, :at, cast(:params as jsonb)) returning "
                        + COLUMNS)
                .bind("id", UUID.randomUUID()).bind("project", projectId).bind("branch", branchId)
                .bind("endpoint", endpointId).bind("action", action.stored())
                .bindArray("resources", String.class, List.copyOf(new LinkedHashSet<>(resources))).bind("at", at)
                .bind("params", given.isEmpty() ? null : write(given))
                .map((rs, ctx) -> map(rs)).one();
        queued.raise(h);
        return operation;
    }

    /** The parameters an operation was queued with; empty when it has none. */
    public Map<String, String> params(Handle h, UUID id) {
        String text = h.createQuery("select params::text from operations where id = :id").bind("id", id)
                .mapTo(String.class).findOne().orElse(null);
        if (text == null) {
            return Map.of();
        }
        try {
            return JSON.readValue(text, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while reading the parameters of operation " + id, e);
        }
    }

    private static String write(Map<String, String> params) {
        try {
            return JSON.writeValueAsString(params);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while writing operation parameters", e);
        }
    }

    public Optional<Operation> find(Handle h, String projectId, UUID id) {
        return h.createQuery("select " + COLUMNS + " from operations where project_id = :project and id = :id")
                .bind("project", projectId).bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    /** Newest first; the cursor is the id of the last operation of the previous page. */
    public List<Operation> list(Handle h, String projectId, UUID after, int limit) {
        return h.createQuery("select " + COLUMNS + " from operations where project_id = :project "
                        + "and (cast(:after as uuid) is null or (created_at, seq) < "
                        + "(select created_at, seq from operations where id = cast(:after as uuid))) "
                        + "order by created_at desc, seq desc limit :limit")
                .bind("project", projectId).bind("after", after).bind("limit", limit)
                .map((rs, ctx) -> map(rs)).list();
    }

    /** The most recently queued operation on {@code resource} that has not finished, if any. */
    public Optional<Operation> latestUnfinished(Handle h, String resource) {
        return h.createQuery("select " + COLUMNS + " from operations where status in ('scheduling', 'running') "
                        + "and resources @> array[cast(:resource as text)] order by seq desc limit 1")
                .bind("resource", resource).map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Operation> findById(Handle h, UUID id) {
        return h.createQuery("select " + COLUMNS + " from operations where id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public boolean hasUnfinished(Handle h, String resource, OperationAction action) {
        return h.createQuery("select exists (select 1 from operations where status in ('scheduling', 'running') "
                        + "and resources @> array[cast(:resource as text)] and action = :action)")
                .bind("resource", resource).bind("action", action.stored()).mapTo(Boolean.class).one();
    }

    public boolean hasUnfinished(Handle h, String resource) {
        return h.createQuery("select exists (select 1 from operations where status in ('scheduling', 'running') "
                        + "and resources @> array[cast(:resource as text)])")
                .bind("resource", resource).mapTo(Boolean.class).one();
    }

    /**
     * Claims the oldest runnable operation for {@code lease}. SKIP LOCKED lets several workers (and servers
     * sharing one store) claim in parallel without waiting on each other.
     */
    public Optional<Operation> claim(Handle h, Duration lease) {
        return h.createQuery("update operations set status = 'running', locked_until = now() + cast(:lease as interval), "
                        + "updated_at = now() where id = (select o.id from operations o "
                        + "where o.status in ('scheduling', 'running') "
                        + "and (o.locked_until is null or o.locked_until < now()) "
                        + "and (o.retry_at is null or o.retry_at <= now()) "
                        + "and not exists (select 1 from operations p where p.seq < o.seq "
                        + "  and p.status in ('scheduling', 'running') and p.resources && o.resources) "
                        + "order by o.seq limit 1 for update skip locked) returning " + COLUMNS)
                .bind("lease", lease.toMillis() + " milliseconds")
                .map((rs, ctx) -> map(rs)).findOne();
    }

    /** Extends the lease of an operation still running. */
    public void extendLease(Handle h, UUID id, Duration lease) {
        h.createUpdate("update operations set locked_until = now() + cast(:lease as interval) "
                        + "where id = :id and status = 'running'")
                .bind("id", id).bind("lease", lease.toMillis() + " milliseconds").execute();
    }

    public void finish(Handle h, UUID id, long durationMs) {
        h.createUpdate("update operations set status = 'finished', locked_until = null, retry_at = null, error = null, "
                        + "updated_at = now(), total_duration_ms = total_duration_ms + :ms where id = :id")
                .bind("id", id).bind("ms", durationMs).execute();
    }

    /** Records a failed attempt: retried at {@code retryAt}, or failed for good when {@code retryAt} is null. */
    public void recordFailure(Handle h, UUID id, String error, Instant retryAt, long durationMs) {
        h.createUpdate("update operations set status = :status, failures_count = failures_count + 1, error = :error, "
                        + "retry_at = :retry, locked_until = null, updated_at = now(), "
                        + "total_duration_ms = total_duration_ms + :ms where id = :id")
                .bind("id", id).bind("status", (retryAt == null ? OperationStatus.FAILED : OperationStatus.SCHEDULING).wire())
                .bind("error", error).bind("retry", retryAt).bind("ms", durationMs).execute();
    }

    /** Frees leases of a server that stopped; used when this server owns the store alone. */
    public void releaseLeases(Handle h) {
        h.createUpdate("update operations set locked_until = null where status = 'running'").execute();
    }

    private static Operation map(ResultSet rs) throws SQLException {
        return new Operation(rs.getObject("id", UUID.class), rs.getString("project_id"), rs.getString("branch_id"),
                rs.getString("endpoint_id"), OperationAction.fromStored(rs.getString("action")),
                OperationStatus.fromWire(rs.getString("status")),
                rs.getInt("failures_count"), rs.getString("error"), instant(rs, "retry_at"),
                instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("total_duration_ms"));
    }
}
