package dev.xenon.control;

import dev.xenon.control.Check;
import dev.xenon.control.DomainException;

/** The compute size and suspend rules shared by endpoints and project defaults. */
public final class ComputeLimits {
    public static final double MIN_CU = 0.25;
    public static final double MAX_CU = 56;

    private ComputeLimits() {}

    public static void check(String prefix, Double minCu, Double maxCu, Integer suspendTimeoutSeconds) {
        Check.range(prefix + ".autoscaling_limit_min_cu", minCu, MIN_CU, MAX_CU);
        Check.range(prefix + ".autoscaling_limit_max_cu", maxCu, MIN_CU, MAX_CU);
        if (minCu != null && maxCu != null && minCu > maxCu) {
            throw DomainException.invalid(prefix + ".autoscaling_limit_min_cu (" + minCu
                    + ") must not exceed autoscaling_limit_max_cu (" + maxCu + ")");
        }
        Check.range(prefix + ".suspend_timeout_seconds", suspendTimeoutSeconds, -1, 604800);
    }
}
