package dev.xenon.operations;

/**
 * Runs the step behind one operation. Throws to fail the attempt: a {@link PermanentFailure} (or another failure
 * {@link Failures} calls permanent) fails the operation at once, anything else is retried within the budget.
 */
@FunctionalInterface
public interface StepRunner {
    void run(Operation operation);
}
