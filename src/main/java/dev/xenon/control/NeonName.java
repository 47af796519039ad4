package dev.xenon.control;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A closed set of values that Neon names in lower case ({@code read_write}, {@code k8s-neonvm}): the same string on
 * the wire and in the metadata store, so an enum constant maps to one name both ways.
 */
public interface NeonName {
    /** Neon's name: the constant's name in lower case, unless the enum says otherwise. */
    default String value() {
        return ((Enum<?>) this).name().toLowerCase(Locale.ROOT);
    }

    /** The name of {@code value}, or null. */
    static String of(NeonName value) {
        return value == null ? null : value.value();
    }

    /** The constant a stored (or already checked) name stands for; null for null. */
    static <E extends Enum<E> & NeonName> E from(Class<E> type, String value) {
        if (value == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' names no " + type.getSimpleName());
    }

    /** The constant a request names in {@code field}, null for null; a 400 listing the allowed names otherwise. */
    static <E extends Enum<E> & NeonName> E parse(Class<E> type, String field, String value) {
        List<String> allowed = Arrays.stream(type.getEnumConstants()).map(NeonName::value).toList();
        Check.oneOf(field, value, allowed);
        return from(type, value);
    }
}
