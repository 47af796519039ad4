package dev.xenon.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

import java.sql.SQLException;

import static java.util.Objects.requireNonNull;

/** The metadata store: a pooled PostgreSQL connection, schema owned by Flyway migrations. */
public final class Db implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    public Db(String jdbcUrl, String user, String password) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(8);
        config.setPoolName("xenon-meta");
        // Server-side prepared statements from the first use: API reads are a handful of small queries.
        config.addDataSourceProperty("prepareThreshold", "1");
        this.dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbi = Jdbi.create(dataSource);
        // Failed statements are logged; their bound values can be passwords or key hashes, so keep them out.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
    }

    public <R> R read(HandleCallback<R, RuntimeException> callback) {
        return jdbi.withHandle(callback);
    }

    /**
     * Runs the callback in one transaction: desired state and the operations that realise it commit together.
     * A transaction Postgres aborted to break a deadlock is run again; the callback must only touch the database.
     */
    public <R> R write(HandleCallback<R, RuntimeException> callback) {
        for (int attempt = 1; ; attempt++) {
            try {
                return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, callback);
            } catch (RuntimeException e) {
                if (attempt >= 5 || !retryable(e)) {
                    throw e;
                }
            }
        }
    }

    public void run(java.util.function.Consumer<Handle> callback) {
        write(h -> {
            callback.accept(h);
            return null;
        });
    }

    /** 40P01 deadlock_detected, 40001 serialization_failure: the whole transaction can simply be retried. */
    private static boolean retryable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40P01".equals(sql.getSQLState())
                    || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
