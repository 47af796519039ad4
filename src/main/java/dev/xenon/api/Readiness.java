package dev.xenon.api;

import io.javalin.Javalin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * {@code GET /readyz}, as Kubernetes expects a readiness probe: 200 when every part needed to serve answers, 503
 * naming the parts that do not. Unauthenticated, like {@code /healthz}, which stays plain liveness (the process
 * serves HTTP): a store that is down makes the server unready, not dead, so it is not restarted for it.
 */
public final class Readiness {
    /** The body of {@code /readyz}: each check's result by name, in the order they ran. */
    record Report(String status, Map<String, String> checks) {}

    /** One part: {@code problem} is empty when it is fine, else what is wrong. */
    public record Check(String name, Supplier<Optional<String>> problem) {
        public Check {
            requireNonNull(name, "name is null");
            requireNonNull(problem, "problem is null");
        }
    }

    private final List<Check> checks;

    public Readiness(List<Check> checks) {
        this.checks = List.copyOf(checks);
    }

    public void register(Javalin app) {
        app.get("/readyz", ctx -> {
            Map<String, String> results = new LinkedHashMap<>();
            boolean ready = true;
            for (Check check : checks) {
                Optional<String> problem = probe(check);
                ready &= problem.isEmpty();
                results.put(check.name(), problem.orElse("ok"));
            }
            ctx.status(ready ? 200 : 503).json(new Report(ready ? "ready" : "not ready", results));
        });
    }

    private static Optional<String> probe(Check check) {
        try {
            return check.problem().get();
        } catch (RuntimeException e) {
            return Optional.of(e.toString());
        }
    }
}
