package dev.xenon.pgsettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Splits a comma-separated list of identifiers as Postgres' SplitIdentifierString (varlena.c) does for list
 * settings such as search_path: names may be double-quoted (kept as written, {@code ""} for a quote) or bare
 * (lower-cased, ending at white space or a comma); an empty name is an error.
 */
final class IdentifierList {
    private IdentifierList() {
    }

    /** The names, or empty when Postgres would refuse the list. A blank value is an empty list. */
    static Optional<List<String>> split(String value) {
        List<String> names = new ArrayList<>();
        int i = skipSpace(value, 0);
        if (i == value.length()) {
            return Optional.of(names);
        }
        while (true) {
            StringBuilder name = new StringBuilder();
            if (value.charAt(i) == '"') {
                i++;
                while (true) {
                    int quote = value.indexOf('"', i);
                    if (quote < 0) {
                        return Optional.empty();
                    }
                    name.append(value, i, quote);
                    i = quote + 1;
                    if (i < value.length() && value.charAt(i) == '"') {
                        name.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (name.isEmpty()) {
                    return Optional.empty();
                }
                names.add(name.toString());
            } else {
                int start = i;
                while (i < value.length() && value.charAt(i) != ',' && !space(value.charAt(i))) {
                    i++;
                }
                if (i == start) {
                    return Optional.empty();
                }
                names.add(value.substring(start, i).toLowerCase(Locale.ROOT));
            }
            i = skipSpace(value, i);
            if (i == value.length()) {
                return Optional.of(names);
            }
            if (value.charAt(i) != ',') {
                return Optional.empty();
            }
            i = skipSpace(value, i + 1);
            if (i == value.length()) {
                return Optional.empty();
            }
        }
    }

    /** scanner_isspace: only these, so a name may hold other Unicode spaces as in Postgres. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }

    private static int skipSpace(String value, int i) {
        while (i < value.length() && space(value.charAt(i))) {
            i++;
        }
        return i;
    }
}
