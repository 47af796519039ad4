package dev.xenon.pgsettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static java.util.Objects.requireNonNull;

/**
 * Which {@code pg_settings} a user may give a compute, and with which values: an allow-list decided setting by
 * setting ({@link Classification}), checked against the target major's own catalog ({@link SettingsCatalog}).
 * The API refuses what this refuses before accepting a request, and the local provisioner drops it again before
 * starting a compute, so a value Postgres would refuse never reaches one.
 */
public final class PgSettingsPolicy {
    /** The majors a catalog is bundled for. */
    public static final List<Integer> MAJORS = IntStream.rangeClosed(14, 18).boxed().toList();
    // Long enough for any real search_path; a bound so a request cannot make the compute's command line huge.
    static final int MAX_VALUE_LENGTH = 1024;

    private final Classification classification;
    private final Map<Integer, SettingsCatalog> catalogs;

    public PgSettingsPolicy(Classification classification, Map<Integer, SettingsCatalog> catalogs) {
        this.classification = requireNonNull(classification, "classification is null");
        this.catalogs = Map.copyOf(catalogs);
    }

    /** The policy over the bundled classification and catalogs: immutable, loaded once per JVM on first use. */
    public static PgSettingsPolicy bundled() {
        return Bundled.POLICY;
    }

    private static final class Bundled {
        static final PgSettingsPolicy POLICY = load();

        private static PgSettingsPolicy load() {
            Map<Integer, SettingsCatalog> catalogs = new TreeMap<>();
            MAJORS.forEach(m -> catalogs.put(m, SettingsCatalog.bundled(m)));
            return new PgSettingsPolicy(Classification.bundled(), catalogs);
        }
    }

    public Classification classification() {
        return classification;
    }

    public SettingsCatalog catalog(int major) {
        SettingsCatalog catalog = catalogs.get(major);
        if (catalog == null) {
            throw new IllegalArgumentException("no settings catalog for Postgres " + major);
        }
        return catalog;
    }

    /** Why {@code name = value} cannot be set on a compute of {@code major}, or empty when it can. */
    public Optional<String> problem(int major, String name, String value) {
        requireNonNull(name, "name is null");
        if (value == null) {
            return Optional.of("setting " + quoted(name) + " needs a string value");
        }
        Optional<Setting> setting = catalog(major).find(name);
        if (setting.isEmpty()) {
            return Optional.of(quoted(name) + " is not a setting of Postgres " + major);
        }
        Optional<Classification.Decision> decision = classification.decision(name);
        if (decision.isEmpty() || !decision.get().allowed()) {
            String why = decision.flatMap(Classification.Decision::refusal).map(Classification.Refusal::why)
                    .orElse("has not been reviewed for Xenon");
            return Optional.of("setting " + setting.get().name() + " is refused: it " + why);
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of("setting " + setting.get().name() + " has a value longer than " + MAX_VALUE_LENGTH
                    + " characters");
        }
        if (value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of("setting " + setting.get().name() + " has a control character in its value");
        }
        Optional<String> problem = setting.get().type() == Setting.Type.STRING
                ? StringSettings.problem(catalog(major), setting.get(), value)
                : SettingValues.problem(setting.get(), value);
        return problem.map(p -> "setting " + setting.get().name() + " " + p);
    }

    /** Every problem of a whole {@code pg_settings} object, including a name given twice in different case. */
    public List<String> problems(int major, Map<String, String> settings) {
        List<String> problems = new ArrayList<>();
        Map<String, String> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        settings.forEach((name, value) -> {
            String earlier = seen.put(name, name);
            if (earlier != null) {
                problems.add("settings " + quoted(earlier) + " and " + quoted(name) + " are the same setting");
            }
            problem(major, name, value).ifPresent(problems::add);
        });
        return problems;
    }

    private static String quoted(String name) {
        return "'" + name + "'";
    }
}
