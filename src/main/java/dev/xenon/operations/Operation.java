package dev.xenon.operations;

import java.time.Instant;
import java.util.UUID;

/** An asynchronous action of the control plane, shaped as Neon's {@code Operation}. */
public record Operation(
        UUID id,
        String projectId,
        String branchId,
        String endpointId,
        String action,
        String status,
        int failuresCount,
        String error,
        Instant retryAt,
        Instant createdAt,
        Instant updatedAt,
        int totalDurationMs) {

    public static final String SCHEDULING = "scheduling";
    public static final String RUNNING = "running";
    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";

    public static final String CREATE_TIMELINE = "create_timeline";
    public static final String CREATE_BRANCH = "create_branch";
    public static final String START_COMPUTE = "start_compute";
    public static final String SUSPEND_COMPUTE = "suspend_compute";
    public static final String APPLY_CONFIG = "apply_config";
    public static final String DELETE_TIMELINE = "delete_timeline";

    /** Parameters (see {@link OperationStore#params}): the branch whose history a new branch or restore reads. */
    public static final String PARAM_SOURCE = "source";
    /** A restore's point in the source's history (absent: its head), and the branch to keep the old data as. */
    public static final String PARAM_LSN = "lsn";
    public static final String PARAM_TIMESTAMP = "timestamp";
    public static final String PARAM_PRESERVE_AS = "preserve_as";

    public boolean unfinished() {
        return SCHEDULING.equals(status) || RUNNING.equals(status);
    }
}
