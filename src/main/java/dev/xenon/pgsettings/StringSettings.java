package dev.xenon.pgsettings;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The checks of the string settings a user may set. Postgres validates these in check hooks Xenon cannot call
 * without a server, and a value a hook refuses on the command line stops the compute from starting, so each allowed
 * string setting has its own check here and the rest are refused (SettingsClassificationTest holds that line).
 */
final class StringSettings {
    private static final Set<String> DATE_STYLES = Set.of("iso", "sql", "postgres", "german");
    private static final Map<String, String> DATE_ORDERS = Map.of("euro", "dmy", "european", "dmy", "dmy", "dmy",
            "us", "mdy", "noneuro", "mdy", "noneuropean", "mdy", "mdy", "mdy", "ymd", "ymd");
    // Locales exist or not depending on the host; these two always do (POSIX requires them).
    private static final Set<String> PORTABLE_LOCALES = Set.of("C", "POSIX");

    private static final Map<String, BiFunction<SettingsCatalog, String, Optional<String>>> CHECKS;

    static {
        Map<String, BiFunction<SettingsCatalog, String, Optional<String>>> checks =
                new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        checks.put("application_name", (catalog, value) -> Optional.empty());
        checks.put("search_path", (catalog, value) -> IdentifierList.split(value).isPresent() ? Optional.empty()
                : Optional.of("must be a comma-separated list of schema names, got '" + value + "'"));
        checks.put("DateStyle", (catalog, value) -> dateStyle(value));
        checks.put("TimeZone", (catalog, value) -> catalog.listed("TimeZone", value) ? Optional.empty()
                : Optional.of("must be a time zone name Postgres " + catalog.major() + " knows (pg_timezone_names),"
                + " such as UTC or Europe/Paris, got '" + value + "'"));
        checks.put("default_text_search_config", (catalog, value) -> textSearch(catalog, value));
        // The name is looked up as written (not case-folded): heap is the only table access method built in.
        checks.put("default_table_access_method", (catalog, value) -> value.equals("heap") ? Optional.empty()
                : Optional.of("must be heap, the only table access method Postgres ships, got '" + value + "'"));
        checks.put("createrole_self_grant", (catalog, value) -> words(value, Set.of("set", "inherit")));
        checks.put("restrict_nonsystem_relation_kind",
                (catalog, value) -> words(value, Set.of("view", "foreign-table")));
        for (String locale : List.of("lc_messages", "lc_monetary", "lc_numeric", "lc_time")) {
            checks.put(locale, (catalog, value) -> PORTABLE_LOCALES.contains(value) ? Optional.empty()
                    : Optional.of("must be C or POSIX: other locales depend on the host, got '" + value + "'"));
        }
        CHECKS = java.util.Collections.unmodifiableMap(checks);
    }

    private StringSettings() {
    }

    static boolean checked(String name) {
        return CHECKS.containsKey(name);
    }

    static Optional<String> problem(SettingsCatalog catalog, Setting setting, String value) {
        var check = CHECKS.get(setting.name());
        if (check == null) {
            return Optional.of("has no value check in Xenon, so it cannot be set");
        }
        return check.apply(catalog, value);
    }

    /** check_datestyle: an output style and a field order, each at most once. */
    private static Optional<String> dateStyle(String value) {
        Optional<List<String>> tokens = IdentifierList.split(value);
        String style = null;
        String order = null;
        for (String token : tokens.orElse(List.of())) {
            if (DATE_STYLES.contains(token)) {
                if (style != null && !style.equals(token)) {
                    return Optional.of("names two output styles, " + style + " and " + token);
                }
                style = token;
            } else if (DATE_ORDERS.containsKey(token)) {
                if (order != null && !order.equals(DATE_ORDERS.get(token))) {
                    return Optional.of("names two field orders in '" + value + "'");
                }
                order = DATE_ORDERS.get(token);
            } else if (!token.equals("default")) {
                return Optional.of("must be an output style (ISO, SQL, Postgres, German) and/or a field order"
                        + " (DMY, MDY, YMD), got '" + value + "'");
            }
        }
        return tokens.isEmpty() || tokens.get().isEmpty()
                ? Optional.of("must be an output style and/or a field order, such as 'ISO, MDY', got '" + value + "'")
                : Optional.empty();
    }

    private static Optional<String> textSearch(SettingsCatalog catalog, String value) {
        String name = value.toLowerCase(Locale.ROOT);
        name = name.startsWith("pg_catalog.") ? name.substring("pg_catalog.".length()) : name;
        return catalog.listed("default_text_search_config", name) ? Optional.empty()
                : Optional.of("must be a text search configuration Postgres " + catalog.major()
                + " ships (pg_ts_config), such as english or simple, got '" + value + "'");
    }

    /** A comma-separated list of these words, each at most once. */
    private static Optional<String> words(String value, Set<String> allowed) {
        Optional<List<String>> tokens = IdentifierList.split(value);
        boolean ok = tokens.isPresent() && allowed.containsAll(tokens.get());
        return ok ? Optional.empty() : Optional.of("must be a comma-separated list of "
                + String.join(", ", new TreeSet<>(allowed)) + ", got '" + value + "'");
    }
}
