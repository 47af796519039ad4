package dev.xenon.pgsettings;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a value the way Postgres parses it for a bool, integer, real or enum setting (guc.c: parse_bool,
 * parse_int, parse_real, config_enum_lookup_by_name), then against the setting's own min and max. Where Postgres is
 * lenient in ways a user would not mean (octal and hex integers, enum aliases it does not list, trailing garbage
 * rules of strtod) this is stricter: a value accepted here is always accepted by Postgres, never the other way.
 */
final class SettingValues {
    // A decimal number: no leading zeros (Postgres would read 010 as octal 8), no hex, no inf/nan.
    private static final Pattern NUMBER = Pattern.compile(
            "\\s*([+-]?(?:0|[1-9][0-9]*)(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z]*)\\s*");
    private static final Pattern REAL = Pattern.compile(
            "\\s*([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?)\\s*([A-Za-z]*)\\s*");
    // Units as Postgres spells them (case matters) with their size in bytes or microseconds (guc.c unit tables).
    private static final Map<String, Double> MEMORY = Map.of("B", 1.0, "kB", 1024.0, "8kB", 8192.0,
            "MB", 1024.0 * 1024, "GB", 1024.0 * 1024 * 1024, "TB", 1024.0 * 1024 * 1024 * 1024);
    private static final Map<String, Double> TIME = Map.of("us", 1.0, "ms", 1e3, "s", 1e6, "min", 60e6,
            "h", 3600e6, "d", 86400e6);
    // parse_bool: these words and any prefix of them long enough to be unambiguous, any case.
    private static final List<String> TRUE = List.of("true", "yes", "on", "1");
    private static final List<String> FALSE = List.of("false", "no", "off", "0");

    // Check hooks that cut a hole in the catalog's range: 0 (off) or at least this many base units
    // (vacuum.c check_vacuum_buffer_usage_limit, 128 kB).
    private static final Map<String, Double> ZERO_OR_AT_LEAST = Map.of("vacuum_buffer_usage_limit", 128.0);

    private SettingValues() {
    }

    /** Why Postgres would refuse {@code value} for {@code setting}, or empty when it accepts it. */
    static Optional<String> problem(Setting setting, String value) {
        return switch (setting.type()) {
            case BOOL -> bool(value) ? Optional.empty()
                    : Optional.of("must be a boolean (on, off, true, false, yes, no, 1, 0), got '" + value + "'");
            case ENUM -> setting.enumValues().stream().anyMatch(v -> v.equalsIgnoreCase(value)) ? Optional.empty()
                    : Optional.of("must be one of " + String.join(", ", setting.enumValues()) + ", got '" + value
                    + "'");
            case INTEGER -> number(setting, value, NUMBER, true);
            case REAL -> number(setting, value, REAL, false);
            case STRING -> Optional.empty();
        };
    }

    static boolean bool(String value) {
        String v = value.toLowerCase(java.util.Locale.ROOT);
        if (v.equals("1") || v.equals("0")) {
            return true;
        }
        // "o" is ambiguous between on and off; Postgres wants "on" or at least "of".
        if (v.isEmpty() || v.equals("o")) {
            return false;
        }
        return TRUE.stream().anyMatch(w -> w.startsWith(v)) || FALSE.stream().anyMatch(w -> w.startsWith(v));
    }

    private static Optional<String> number(Setting setting, String value, Pattern pattern, boolean integer) {
        Matcher m = pattern.matcher(value);
        String kind = integer ? "an integer" : "a number";
        String unitHint = setting.unit().isEmpty() ? "" : " (in " + setting.unit() + " unless a unit is given)";
        if (!m.matches()) {
            return Optional.of("must be " + kind + unitHint + ", got '" + value + "'");
        }
        double number = Double.parseDouble(m.group(1));
        String unit = m.group(2);
        double base = number;
        if (!unit.isEmpty()) {
            Optional<Double> factor = factor(setting.unit(), unit);
            if (factor.isEmpty()) {
                return Optional.of(setting.unit().isEmpty() ? "takes no unit, got '" + value + "'"
                        : "has unit " + setting.unit() + "; '" + unit + "' is not a unit for it (" + units(setting.unit())
                        + ")");
            }
            base = number * factor.get();
        }
        if (integer) {
            base = Math.rint(base);
            if (base > Integer.MAX_VALUE || base < Integer.MIN_VALUE) {
                return Optional.of("is out of range, got '" + value + "'");
            }
        }
        double min = Double.parseDouble(setting.min());
        double max = Double.parseDouble(setting.max());
        if (Double.isNaN(base) || base < min || base > max) {
            String u = setting.unit().isEmpty() ? "" : " " + setting.unit();
            return Optional.of("must be between " + setting.min() + " and " + setting.max() + u + ", got '" + value
                    + "'");
        }
        Double least = ZERO_OR_AT_LEAST.get(setting.name());
        if (least != null && base != 0 && base < least) {
            return Optional.of("must be 0 or at least " + least.longValue() + " " + setting.unit() + ", got '" + value
                    + "'");
        }
        return Optional.empty();
    }

    /** How many base units one {@code unit} is, when it measures the same thing as {@code baseUnit}. */
    private static Optional<Double> factor(String baseUnit, String unit) {
        for (Map<String, Double> table : List.of(MEMORY, TIME)) {
            if (table.containsKey(baseUnit) && table.containsKey(unit)) {
                return Optional.of(table.get(unit) / table.get(baseUnit));
            }
        }
        return Optional.empty();
    }

    private static String units(String baseUnit) {
        return MEMORY.containsKey(baseUnit) ? "B, kB, MB, GB, TB" : "us, ms, s, min, h, d";
    }
}
