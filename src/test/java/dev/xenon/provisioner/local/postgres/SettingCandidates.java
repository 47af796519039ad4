package dev.xenon.provisioner.local.postgres;

import dev.xenon.pgsettings.Setting;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Values worth trying for a setting: its edges, its units, the spellings Postgres is lenient about, and junk. */
final class SettingCandidates {
    private static final List<String> JUNK = List.of("", " ", "abc", "1;2", "NaN", "inf", "-inf", "0x10", "010",
            "1e400", "+1", "1.", ".5", "1e3", " 5 ", "5 ");
    private static final List<String> BOOLS = List.of("on", "off", "true", "false", "yes", "no", "1", "0", "t", "f",
            "y", "n", "of", "o", "ON", "Off", "maybe", "2", " on", "on ");
    private static final List<String> UNITS = List.of("B", "kB", "MB", "GB", "TB", "kb", "mb", "8kB", "us", "ms",
            "s", "min", "h", "d", "sec", "m", "ns");
    private static final List<String> STRINGS = List.of("C", "POSIX", "c", "en_US.UTF-8", "UTC", "utc",
            "Europe/Paris", "europe/paris", "America/New_York", "Mars/Olympus", "UTC+3", "+02", "EST5EDT",
            "ISO, MDY", "SQL, DMY", "Postgres, YMD", "German", "iso,sql", "dmy,mdy", "DEFAULT", "ISO MDY",
            "public", "\"$user\", public", "a b", "a,,b", "\"\"", "\"a\"\"b\", c", "a,", ",a", "\"unterminated",
            "heap", "HEAP", "nosuchmethod", "english", "pg_catalog.english", "French", "nosuchconfig", "simple",
            "set", "inherit", "set, inherit", "SET", "bogus", "view", "foreign-table", "view, foreign-table",
            "my app", "x".repeat(100));

    private SettingCandidates() {
    }

    static List<String> of(Setting setting) {
        Set<String> values = new LinkedHashSet<>(JUNK);
        switch (setting.type()) {
            case BOOL -> values.addAll(BOOLS);
            case ENUM -> {
                for (String v : setting.enumValues()) {
                    values.add(v);
                    values.add(v.toUpperCase(Locale.ROOT));
                    values.add(v + " ");
                }
                values.add("bogus");
            }
            case INTEGER, REAL -> values.addAll(numbers(setting));
            case STRING -> values.addAll(STRINGS);
        }
        return new ArrayList<>(values);
    }

    private static List<String> numbers(Setting setting) {
        List<String> values = new ArrayList<>();
        BigDecimal min = new BigDecimal(setting.min());
        BigDecimal max = new BigDecimal(setting.max());
        for (BigDecimal n : List.of(min, max, min.subtract(BigDecimal.ONE), max.add(BigDecimal.ONE),
                min.add(BigDecimal.ONE), max.subtract(BigDecimal.ONE), BigDecimal.ZERO, BigDecimal.ONE,
                BigDecimal.valueOf(-1), new BigDecimal("1.5"), new BigDecimal("64"), new BigDecimal("100"),
                new BigDecimal("1000"), new BigDecimal("65536"))) {
            values.add(n.toPlainString().length() > 40 ? n.toString() : n.toPlainString());
        }
        for (String unit : UNITS) {
            for (String n : List.of("1", "64", "1.5", "100", "0")) {
                values.add(n + unit);
            }
            values.add("10 " + unit);
        }
        return values;
    }
}
