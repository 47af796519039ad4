package dev.xenon.control.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.xenon.control.NeonName;
import dev.xenon.store.CommitSignal;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.xenon.store.Rows.instant;
import static java.util.Objects.requireNonNull;

public final class EndpointStore {
    private static final String COLUMNS = "id, project_id, branch_id, type, region_id, autoscaling_limit_min_cu, "
            + "autoscaling_limit_max_cu, provisioner, suspend_timeout_seconds, disabled, pooler_enabled, pooler_mode, "
            + "settings, current_state, pending_state, proxy_port, last_active, started_at, suspended_at, "
            + "creation_source, created_at, updated_at";

    private final ObjectMapper json;
    private final CommitSignal portsChanged;

    /** @param portsChanged raised when an endpoint is added or deleted, so the proxy listens on just the live ports */
    public EndpointStore(ObjectMapper json, CommitSignal portsChanged) {
        this.json = json;
        this.portsChanged = requireNonNull(portsChanged, "portsChanged is null");
    }

    public void insert(Handle h, Endpoint e) {
        h.createUpdate("insert into endpoints (" + COLUMNS + ") values (:id, :project, :branch, :type, :region, :min, "
                        + ":max, :provisioner, :suspend, :disabled, :pooler, :mode, cast(:settings as jsonb), :state, "
                        + ":pending, :port, :lastActive, :started, :suspended, :source, :created, :updated)")
                .bind("id", e.id()).bind("project", e.projectId()).bind("branch", e.branchId()).bind("type", e.type().value())
                .bind("region", e.regionId()).bind("min", e.autoscalingLimitMinCu())
                .bind("max", e.autoscalingLimitMaxCu()).bind("provisioner", e.provisioner().value())
                .bind("suspend", e.suspendTimeoutSeconds()).bind("disabled", e.disabled())
                .bind("pooler", e.poolerEnabled()).bind("mode", e.poolerMode().value())
                .bind("settings", write(e.pgSettings())).bind("state", e.currentState().value()).bind("pending", NeonName.of(e.pendingState()))
                .bind("port", e.proxyPort())
                .bind("lastActive", e.lastActive()).bind("started", e.startedAt()).bind("suspended", e.suspendedAt())
                .bind("source", e.creationSource()).bind("created", e.createdAt()).bind("updated", e.updatedAt())
                .execute();
        portsChanged.raise(h);
    }

    public void update(Handle h, Endpoint e) {
        h.createUpdate("update endpoints set branch_id = :branch, autoscaling_limit_min_cu = :min, "
                        + "autoscaling_limit_max_cu = :max, provisioner = :provisioner, suspend_timeout_seconds = :suspend, "
                        + "disabled = :disabled, pooler_enabled = :pooler, pooler_mode = :mode, "
                        + "settings = cast(:settings as jsonb), updated_at = :updated where id = :id")
                .bind("id", e.id()).bind("branch", e.branchId()).bind("min", e.autoscalingLimitMinCu())
                .bind("max", e.autoscalingLimitMaxCu()).bind("provisioner", e.provisioner().value())
                .bind("suspend", e.suspendTimeoutSeconds()).bind("disabled", e.disabled())
                .bind("pooler", e.poolerEnabled()).bind("mode", e.poolerMode().value()).bind("settings", write(e.pgSettings()))
                .bind("updated", e.updatedAt())
                .execute();
    }

    public void setPending(Handle h, String id, EndpointState pending, Instant at) {
        h.createUpdate("update endpoints set pending_state = :pending, updated_at = :at where id = :id")
                .bind("id", id).bind("pending", NeonName.of(pending)).bind("at", at).execute();
    }

    public void markStarted(Handle h, String id, Instant at) {
        h.createUpdate("update endpoints set current_state = 'active', pending_state = null, started_at = :at, "
                        + "suspended_at = null, last_active = :at, updated_at = :at where id = :id")
                .bind("id", id).bind("at", at).execute();
    }

    /** Client activity seen by the proxy; never moves {@code last_active} backwards. */
    public void recordActivity(Handle h, String id, Instant at) {
        h.createUpdate("update endpoints set last_active = greatest(coalesce(last_active, :at), :at) where id = :id")
                .bind("id", id).bind("at", at).execute();
    }

    public void addTransfer(Handle h, String id, long bytes) {
        h.createUpdate("update endpoints set data_transfer_bytes = data_transfer_bytes + :bytes where id = :id")
                .bind("id", id).bind("bytes", bytes).execute();
    }

    public Optional<Endpoint> findByPort(Handle h, int port) {
        return h.createQuery("select " + COLUMNS + " from endpoints where proxy_port = :port and deleted_at is null")
                .bind("port", port).map((rs, ctx) -> map(rs)).findOne();
    }

    public List<Integer> livePorts(Handle h) {
        return h.createQuery("select proxy_port from endpoints where deleted_at is null and proxy_port is not null")
                .mapTo(Integer.class).list();
    }

    public void markIdle(Handle h, String id, Instant at) {
        h.createUpdate("update endpoints set current_state = 'idle', pending_state = null, suspended_at = :at, "
                        + "started_at = null, updated_at = :at where id = :id")
                .bind("id", id).bind("at", at).execute();
    }

    public void markDeleted(Handle h, String id, Instant at) {
        h.createUpdate("update endpoints set deleted_at = :at where id = :id").bind("id", id).bind("at", at).execute();
        portsChanged.raise(h);
    }

    public Optional<Endpoint> find(Handle h, String projectId, String id, boolean forUpdate) {
        return h.createQuery("select " + COLUMNS + " from endpoints where project_id = :project and id = :id "
                        + "and deleted_at is null" + (forUpdate ? " for update" : ""))
                .bind("project", projectId).bind("id", id).map((rs, ctx) -> map(rs)).findOne();
    }

    public Optional<Endpoint> findAnyState(Handle h, String id) {
        return h.createQuery("select " + COLUMNS + " from endpoints where id = :id").bind("id", id)
                .map((rs, ctx) -> map(rs)).findOne();
    }

    public List<Endpoint> listByProject(Handle h, String projectId) {
        return h.createQuery("select " + COLUMNS + " from endpoints where project_id = :project and deleted_at is null "
                        + "order by created_at, id")
                .bind("project", projectId).map((rs, ctx) -> map(rs)).list();
    }

    public List<Endpoint> listByBranch(Handle h, String branchId) {
        return h.createQuery("select " + COLUMNS + " from endpoints where branch_id = :branch and deleted_at is null "
                        + "order by created_at, id")
                .bind("branch", branchId).map((rs, ctx) -> map(rs)).list();
    }

    /** Endpoints whose compute should be running: active, not disabled, not deleted. */
    public List<Endpoint> listActive(Handle h) {
        return h.createQuery("select " + COLUMNS + " from endpoints where deleted_at is null and not disabled "
                        + "and current_state = 'active' order by created_at, id")
                .map((rs, ctx) -> map(rs)).list();
    }

    public Optional<Endpoint> readWriteOf(Handle h, String branchId) {
        return h.createQuery("select " + COLUMNS + " from endpoints where branch_id = :branch and deleted_at is null "
                        + "and type = 'read_write'")
                .bind("branch", branchId).map((rs, ctx) -> map(rs)).findOne();
    }

    /** Serialises port allocation across concurrent creates (of this server or another); released at commit. */
    public void lockPortAllocation(Handle h) {
        h.execute("select pg_advisory_xact_lock(7301)");
    }

    /** Ports in {@code [from, to]} that endpoints hold: live ones, and deleted ones whose compute is being stopped. */
    public Set<Integer> heldPorts(Handle h, int from, int to) {
        return Set.copyOf(h.createQuery("select distinct e.proxy_port from endpoints e "
                        + "where e.proxy_port between :from and :to and (e.deleted_at is null or exists ("
                        + "select 1 from operations o where o.endpoint_id = e.id "
                        + "and o.status in ('scheduling', 'running')))")
                .bind("from", from).bind("to", to).mapTo(Integer.class).list());
    }

    public int countByBranch(Handle h, String branchId) {
        return h.createQuery("select count(*) from endpoints where branch_id = :branch and deleted_at is null")
                .bind("branch", branchId).mapTo(Integer.class).one();
    }

    public int countByProject(Handle h, String projectId) {
        return h.createQuery("select count(*) from endpoints where project_id = :project and deleted_at is null")
                .bind("project", projectId).mapTo(Integer.class).one();
    }

    private Endpoint map(ResultSet rs) throws SQLException {
        int port = rs.getInt("proxy_port");
        Integer proxyPort = rs.wasNull() ? null : port;
        return Endpoint.builder()
                .id(rs.getString("id")).projectId(rs.getString("project_id")).branchId(rs.getString("branch_id"))
                .type(NeonName.from(EndpointType.class, rs.getString("type"))).regionId(rs.getString("region_id"))
                .autoscalingLimitMinCu(rs.getDouble("autoscaling_limit_min_cu"))
                .autoscalingLimitMaxCu(rs.getDouble("autoscaling_limit_max_cu"))
                .provisioner(NeonName.from(ComputeProvisioner.class, rs.getString("provisioner")))
                .suspendTimeoutSeconds(rs.getInt("suspend_timeout_seconds")).disabled(rs.getBoolean("disabled"))
                .poolerEnabled(rs.getBoolean("pooler_enabled"))
                .poolerMode(NeonName.from(PoolerMode.class, rs.getString("pooler_mode")))
                .pgSettings(read(rs.getString("settings")))
                .currentState(NeonName.from(EndpointState.class, rs.getString("current_state")))
                .pendingState(NeonName.from(EndpointState.class, rs.getString("pending_state")))
                .proxyPort(proxyPort).lastActive(instant(rs, "last_active")).startedAt(instant(rs, "started_at"))
                .suspendedAt(instant(rs, "suspended_at")).creationSource(rs.getString("creation_source"))
                .createdAt(instant(rs, "created_at")).updatedAt(instant(rs, "updated_at")).build();
    }

    private String write(Map<String, String> settings) {
        try {
            return json.writeValueAsString(settings == null ? Map.of() : settings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while serialising endpoint settings", e);
        }
    }

    private Map<String, String> read(String text) {
        try {
            return json.readValue(text, new TypeReference<>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("while reading stored endpoint settings", e);
        }
    }
}
