package dev.xenon.provisioner;

/**
 * Holds no data and runs no process. It exists so that the control plane and its operations engine can be
 * exercised without a data plane (fast API tests); it reports nothing it has not done (no LSN, no size).
 */
public final class MetadataOnlyProvisioner implements Provisioner {
    @Override
    public BranchPoint createRootTimeline(TimelineSpec root) {
        return new BranchPoint(null, null, null);
    }

    @Override
    public BranchPoint createBranch(TimelineSpec child, TimelineSpec parent, PointInTime at, boolean schemaOnly) {
        return new BranchPoint(null, at.timestamp(), null);
    }

    @Override
    public BranchPoint restoreBranch(TimelineSpec target, TimelineSpec source, PointInTime at, String preserveAs,
                                     String restoreId) {
        return new BranchPoint(at.lsn(), at.timestamp(), null);
    }

    @Override
    public void deleteTimeline(String projectId, String branchId) {}

    @Override
    public void applyConfig(TimelineSpec spec) {}

    @Override
    public void startCompute(ComputeSpec compute) {}

    @Override
    public void stopCompute(String endpointId) {}
}
