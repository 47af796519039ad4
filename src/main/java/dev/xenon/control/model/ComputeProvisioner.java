package dev.xenon.control.model;

import dev.xenon.control.NeonName;

/** Neon's {@code Provisioner}: kept and shown as asked; every Xenon compute is a local Postgres process. */
public enum ComputeProvisioner implements NeonName {
    K8S_POD,
    K8S_NEONVM;

    @Override
    public String value() {
        return this == K8S_POD ? "k8s-pod" : "k8s-neonvm";
    }
}
