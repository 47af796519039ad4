package dev.xenon.provisioner;

import java.util.Set;

/**
 * What a SQLSTATE says about trying again, by the classes of the Postgres error codes appendix
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html). Unknown codes say nothing either way.
 */
public final class SqlStates {
    /**
     * The statement itself is wrong for this database and fails the same way every time: 0A feature not supported,
     * 0L/0P invalid grantor or role specification, 22 data exception, 23 integrity constraint violation, 28 invalid
     * authorization, 2B dependent objects still exist, 3D invalid catalog name, 3F invalid schema name, 42 syntax
     * error or access rule violation (reserved and duplicate names among them), 44 WITH CHECK OPTION violation.
     */
    private static final Set<String> PERMANENT_CLASSES =
            Set.of("0A", "0L", "0P", "22", "23", "28", "2B", "3D", "3F", "42", "44");
    /**
     * The same statement may well succeed a moment later: 40001 serialization failure, 40P01 deadlock, 55P03 lock
     * not available, 57014 canceled (a statement timeout), plus {@link #unavailable} and the resource classes (53
     * insufficient resources, 58 system error such as an I/O error).
     */
    private static final Set<String> TRANSIENT_CODES = Set.of("40001", "40P01", "55P03", "57014");
    private static final Set<String> TRANSIENT_CLASSES = Set.of("53", "58");
    /** 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now; class 08 is every connection failure. */
    private static final Set<String> UNAVAILABLE_CODES = Set.of("57P01", "57P02", "57P03");

    private SqlStates() {
    }

    public static boolean permanent(String sqlState) {
        return sqlState != null && sqlState.length() == 5 && PERMANENT_CLASSES.contains(sqlState.substring(0, 2));
    }

    public static boolean transientState(String sqlState) {
        return sqlState != null && sqlState.length() == 5 && (TRANSIENT_CODES.contains(sqlState)
                || TRANSIENT_CLASSES.contains(sqlState.substring(0, 2)) || unavailable(sqlState));
    }

    /** The server cannot be reached, or is going away: nothing can be done there until it is back. */
    public static boolean unavailable(String sqlState) {
        return sqlState != null && sqlState.length() == 5
                && (sqlState.startsWith("08") || UNAVAILABLE_CODES.contains(sqlState));
    }
}
