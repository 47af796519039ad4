package dev.xenon.operations;

/** Runs the step behind one operation; throws to have it retried. */
@FunctionalInterface
public interface StepRunner {
    void run(Operation operation);
}
