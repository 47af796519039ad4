package dev.xenon.pgsettings;

import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * One row of a Postgres major's {@code pg_settings} view: what the server itself says a setting accepts.
 *
 * @param unit       the base unit of a numeric setting ({@code kB}, {@code 8kB}, {@code ms}, ...), empty when none
 * @param min        the minimum of a numeric setting, empty otherwise
 * @param max        the maximum of a numeric setting, empty otherwise
 * @param enumValues the values an enum setting accepts (Postgres also takes a few undocumented aliases, which
 *                   Xenon does not)
 */
public record Setting(String name, String context, Type type, String unit, String min, String max,
                      List<String> enumValues) {
    public enum Type {
        BOOL, INTEGER, REAL, ENUM, STRING;

        static Type of(String vartype) {
            return valueOf(vartype.toUpperCase(Locale.ROOT));
        }

        String vartype() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Setting {
        requireNonNull(name, "name is null");
        requireNonNull(context, "context is null");
        requireNonNull(type, "type is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        enumValues = List.copyOf(enumValues);
    }

    /** The row as one line of the catalog file: tab-separated, enum values joined by {@code |}. */
    String toLine() {
        return String.join("\t", name, context, type.vartype(), unit, min, max, String.join("|", enumValues));
    }

    static Setting fromLine(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("a catalog line has 7 tab-separated fields, not " + f.length + ": "
                    + line);
        }
        return new Setting(f[0], f[1], Type.of(f[2]), f[3], f[4], f[5],
                f[6].isEmpty() ? List.of() : List.of(f[6].split("\\|")));
    }
}
