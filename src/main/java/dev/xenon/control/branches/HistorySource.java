package dev.xenon.control.branches;

/**
 * The parameters a create_branch or restore_timeline operation is queued with (see
 * {@code OperationStore#params}): what its step reads the new data from.
 */
public final class HistorySource {
    /** The branch whose history a new branch or restore reads. */
    public static final String SOURCE = "source";
    /** A restore's point in the source's history (absent: its head). */
    public static final String LSN = "lsn";
    public static final String TIMESTAMP = "timestamp";
    /** The branch a restore keeps the old data as, if any. */
    public static final String PRESERVE_AS = "preserve_as";

    private HistorySource() {
    }
}
