package dev.xenon.control;

import dev.xenon.pgsettings.PgSettingsPolicy;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Field checks that name the field in the message, so a 400 says exactly what to fix. */
public final class Check {
    private Check() {}

    public static void range(String field, Number value, double min, double max) {
        if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
            throw DomainException.invalid(field + " must be between " + format(min) + " and " + format(max)
                    + ", got " + value);
        }
    }

    public static void oneOf(String field, String value, Collection<String> allowed) {
        if (value != null && !allowed.contains(value)) {
            throw DomainException.invalid(field + " must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
        }
    }

    public static void length(String field, String value, int min, int max) {
        if (value != null && (value.length() < min || value.length() > max)) {
            throw DomainException.invalid(field + " must be " + min + " to " + max + " characters long");
        }
    }

    /** Postgres identifiers are limited to 63 bytes (NAMEDATALEN - 1), not characters. */
    public static void identifier(String field, String value) {
        required(field, value);
        if (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw DomainException.invalid(field + " must be 1 to 63 bytes long");
        }
        if (value.indexOf('\0') >= 0) {
            throw DomainException.invalid(field + " must not contain NUL characters");
        }
    }

    public static <T> T required(String field, T value) {
        if (value == null) {
            throw DomainException.invalid(field + " is required");
        }
        return value;
    }

    /**
     * A {@code pg_settings} object for a compute of Postgres {@code major}: only allow-listed settings, with values
     * that major accepts, so nothing a compute would refuse (or that reaches the host) is ever stored.
     */
    public static void pgSettings(String field, int major, Map<String, String> settings) {
        if (settings == null) {
            return;
        }
        List<String> problems = PgSettingsPolicy.bundled().problems(major, settings);
        if (!problems.isEmpty()) {
            throw DomainException.invalid(field + ": " + String.join("; ", problems));
        }
    }

    private static String format(double number) {
        return number == Math.rint(number) ? Long.toString((long) number) : Double.toString(number);
    }
}
