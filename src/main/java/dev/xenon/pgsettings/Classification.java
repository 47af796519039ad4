package dev.xenon.pgsettings;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * Xenon's decision for every Postgres setting, from {@code pgsettings/classification.tsv}: allowed in a user's
 * {@code pg_settings}, or refused with a reason. A name not in the table is refused too; SettingsClassificationTest
 * makes sure no setting of a supported major is left out, so each one was decided on purpose.
 */
public final class Classification {
    /** Why a setting is refused; the text completes "refused: it ...". */
    public enum Refusal {
        COMMAND("runs a shell command on the host"),
        LIBRARY("loads a library into the server"),
        FILE("names a file or directory on the host"),
        NETWORK("changes where or how the compute listens, which Xenon decides"),
        AUTH("changes authentication or TLS, which Xenon decides"),
        REPLICATION("changes replication, recovery or standby behaviour, which Xenon manages"),
        ARCHIVE("changes WAL archiving, which Xenon's branch history depends on"),
        WAL("changes how WAL is written or kept, which Xenon's branch history depends on"),
        LOGGING("changes where or in what format the compute logs, which Xenon decides"),
        POSTMASTER("is fixed when the compute starts and sized by Xenon from the compute units"),
        SERVER("is a server-wide setting that Xenon manages"),
        DURABILITY("trades away crash safety"),
        SECURITY("bypasses a permission or integrity check"),
        DEVELOPER("is a developer or debugging option"),
        READONLY("is read-only: it reports how Postgres was built or initialized"),
        TRANSACTION("applies to one transaction only; set the default_transaction_* setting instead"),
        CLIENT("is chosen by each client when it connects"),
        HOST("depends on the host's limits, which a user cannot see"),
        XENON("is set by Xenon for every compute");

        private final String why;

        Refusal(String why) {
            this.why = why;
        }

        public String why() {
            return why;
        }
    }

    /** Allowed when {@code refusal} is empty. */
    public record Decision(String name, Optional<Refusal> refusal) {
        public boolean allowed() {
            return refusal.isEmpty();
        }
    }

    private final Map<String, Decision> decisions;

    Classification(Map<String, Decision> decisions) {
        Map<String, Decision> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        byName.putAll(decisions);
        this.decisions = Collections.unmodifiableMap(byName);
    }

    public static Classification bundled() {
        return parse(SettingsCatalog.resource("classification.tsv"));
    }

    static Classification parse(String text) {
        Map<String, Decision> decisions = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).forEach(line -> {
            String[] f = line.split("\t");
            Decision decision = switch (f.length == 2 ? f[1] : f.length == 3 ? f[1] + ":" : "") {
                case "allow" -> new Decision(f[0], Optional.empty());
                case "refuse:" -> new Decision(f[0], Optional.of(Refusal.valueOf(f[2].toUpperCase(Locale.ROOT))));
                default -> throw new IllegalArgumentException("a classification line is 'name<TAB>allow' or"
                        + " 'name<TAB>refuse<TAB>reason': " + line);
            };
            if (decisions.put(f[0], decision) != null) {
                throw new IllegalArgumentException("setting " + f[0] + " is classified twice");
            }
        });
        return new Classification(decisions);
    }

    /** The decision for {@code name}, whatever its case; empty when no one decided. */
    public Optional<Decision> decision(String name) {
        requireNonNull(name, "name is null");
        return Optional.ofNullable(decisions.get(name));
    }

    public Map<String, Decision> all() {
        return decisions;
    }
}
