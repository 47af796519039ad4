package dev.xenon.steps;

import dev.xenon.operations.Operation;
import dev.xenon.operations.StepRunner;
import dev.xenon.provisioner.Provisioner;

import static java.util.Objects.requireNonNull;

/** apply_config: the branch's roles and databases, as the API last left them, are made so on its data. */
final class ApplyConfig implements StepRunner {
    private final DesiredState desired;
    private final Provisioner provisioner;

    ApplyConfig(DesiredState desired, Provisioner provisioner) {
        this.desired = requireNonNull(desired, "desired is null");
        this.provisioner = requireNonNull(provisioner, "provisioner is null");
    }

    @Override
    public void run(Operation op) {
        desired.timeline(op.branchId()).ifPresent(provisioner::applyConfig);
    }
}
