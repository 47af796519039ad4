package dev.xenon.operations;

import dev.xenon.provisioner.Refused;
import dev.xenon.store.StoreUnavailable;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {
    private static SQLException sql(String state) {
        return new SQLException("ERROR: something (" + state + ")", state);
    }

    private static RuntimeException wrapped(Throwable cause) {
        return new IllegalStateException("while applying roles and databases to branch br-x", cause);
    }

    @Test
    void failuresAreClassifiedByWhatTheySay() {
        Map<Throwable, Boolean> permanent = new LinkedHashMap<>();
        permanent.put(wrapped(sql("42939")), true);  // reserved_name: role "public"
        permanent.put(wrapped(sql("42710")), true);  // duplicate_object
        permanent.put(wrapped(sql("22023")), true);  // invalid_parameter_value
        permanent.put(wrapped(sql("23505")), true);  // unique_violation
        permanent.put(wrapped(sql("28P01")), true);  // invalid_password
        permanent.put(wrapped(sql("0A000")), true);  // feature_not_supported
        permanent.put(wrapped(sql("3D000")), true);  // invalid_catalog_name
        permanent.put(new PermanentFailure("project of br-x is gone"), true);
        permanent.put(new Refused(Refused.Kind.ROLE, "br-x", "public", "reserved", null), true);
        permanent.put(wrapped(new IllegalArgumentException("invalid Postgres setting a b=1")), true);
        permanent.put(wrapped(sql("08001")), false); // connection refused
        permanent.put(wrapped(sql("08006")), false); // connection failure
        permanent.put(wrapped(sql("57P03")), false); // cannot_connect_now
        permanent.put(wrapped(sql("57P01")), false); // admin_shutdown
        permanent.put(wrapped(sql("40001")), false); // serialization_failure
        permanent.put(wrapped(sql("40P01")), false); // deadlock_detected
        permanent.put(wrapped(sql("55P03")), false); // lock_not_available
        permanent.put(wrapped(sql("53300")), false); // too_many_connections
        permanent.put(wrapped(new UncheckedIOException(new ConnectException("Connection refused"))), false);
        permanent.put(new StoreUnavailable("the metadata store is unavailable", null), false);
        permanent.put(new IllegalStateException("Postgres did not accept connections on port 5 in time"), false);
        // The outermost cause that says anything decides: a permanent error reported over a failed connection.
        permanent.put(new UncheckedIOException("while reading", new java.io.IOException(sql("42601"))), false);
        permanent.forEach((failure, expected) -> assertThat(Failures.permanent(failure))
                .as("%s caused by %s", failure, failure.getCause()).isEqualTo(expected));
    }
}
