package dev.xenon.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.xenon.provisioner.SqlStates;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static java.util.Objects.requireNonNull;

/**
 * The metadata store: a pooled PostgreSQL connection, schema owned by Flyway migrations. When the store cannot be
 * reached every call fails within {@link StoreConfig#connectionTimeout()} with {@link StoreUnavailable}, or at once
 * when its supervisor already knows it is down, so callers answer "try again" instead of hanging.
 */
public final class Db implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Db.class);
    private static final ThreadLocal<Boolean> WRITING = ThreadLocal.withInitial(() -> false);

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final BooleanSupplier up;
    /** Set once a caller saw the store down: its pooled connections point at the dead postmaster. */
    private final AtomicBoolean sawDown = new AtomicBoolean();

    /**
     * @param config pool size and connection timeout (its database URL is the caller's to resolve into the rest)
     * @param up     false while the store is known to be down (its supervisor is restarting it): fail at once then
     */
    public Db(String jdbcUrl, String user, String password, StoreConfig config, BooleanSupplier up) {
        requireNonNull(jdbcUrl, "jdbcUrl is null");
        requireNonNull(config, "config is null");
        this.up = requireNonNull(up, "up is null");
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        if (user != null) {
            hikari.setUsername(user);
        }
        if (password != null) {
            hikari.setPassword(password);
        }
        long timeoutMillis = config.connectionTimeout().toMillis();
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setPoolName("xenon-meta");
        hikari.setConnectionTimeout(timeoutMillis);
        // Checking a pooled connection that the store dropped while down must not take longer than waiting for one.
        hikari.setValidationTimeout(Math.min(timeoutMillis, 1000));
        // Server-side prepared statements from the first use: API reads are a handful of small queries.
        hikari.addDataSourceProperty("prepareThreshold", "1");
        this.dataSource = new HikariDataSource(hikari);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        this.jdbi = Jdbi.create(dataSource);
        // Failed statements are logged; their bound values can be passwords or key hashes, so keep them out.
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(StatementExceptions.MessageRendering.SHORT_STATEMENT);
    }

    /**
     * Runs the callback in one read-only transaction that sees a single snapshot: for a reader that builds one
     * consistent picture from several tables (the steps' desired state), not a mix of before and after a commit.
     */
    public <R> R snapshot(HandleCallback<R, RuntimeException> callback) {
        return read(h -> h.inTransaction(TransactionIsolationLevel.REPEATABLE_READ, tx -> {
            tx.execute("set transaction read only");
            return callback.withHandle(tx);
        }));
    }

    /**
     * Runs a read. A read that met a connection the store dropped (Hikari hands out a connection used in the last
     * 500 ms without checking it) is run once more on a fresh one: it changed nothing, so repeating it is safe.
     */
    public <R> R read(HandleCallback<R, RuntimeException> callback) {
        requireUp();
        try {
            return jdbi.withHandle(callback);
        } catch (RuntimeException e) {
            if (!brokenConnection(e) || !up.getAsBoolean()) {
                throw unavailableOr(e);
            }
        }
        try {
            return jdbi.withHandle(callback);
        } catch (RuntimeException e) {
            throw unavailableOr(e);
        }
    }

    /** Whether the store answers a trivial query now: for readiness. */
    public boolean answers() {
        try {
            return read(h -> h.createQuery("select 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Runs the callback in one transaction: desired state and the operations that realise it commit together.
     * A transaction Postgres aborted to break a deadlock is run again; the callback must only touch the database.
     */
    public <R> R write(HandleCallback<R, RuntimeException> callback) {
        requireUp();
        if (WRITING.get()) {
            // Jdbi would join the open transaction, and this write's after-commit callbacks would run before the
            // outer one commits (or after it rolls back).
            throw new IllegalStateException("a write inside a write: pass the open handle down instead");
        }
        for (int attempt = 1; ; attempt++) {
            // Taken as the callback ends: an attempt that then fails to commit, or is run again, leaves them unrun.
            AtomicReference<List<Runnable>> callbacks = new AtomicReference<>(List.of());
            R result;
            WRITING.set(true);
            try {
                result = jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> {
                    R r = callback.withHandle(h);
                    callbacks.set(h.getConfig(PendingCallbacks.class).drain());
                    return r;
                });
            } catch (RuntimeException e) {
                if (attempt >= 5 || !retryable(e)) {
                    throw unavailableOr(e);
                }
                continue;
            } finally {
                WRITING.set(false);
            }
            // After the connection went back to the pool: a callback may read the store without waiting for one.
            runQuietly(callbacks.get());
            return result;
        }
    }

    /**
     * Runs {@code callback} once the transaction of {@code h} (a {@link #write}) commits; not if it rolls back. A
     * callback that fails is logged: the transaction it follows stays committed, and the write still succeeds.
     */
    public static void afterCommit(Handle h, Runnable callback) {
        requireNonNull(callback, "callback is null");
        if (!h.isInTransaction()) {
            throw new IllegalStateException("after-commit callbacks need a transaction (Db.write), not a read");
        }
        h.getConfig(PendingCallbacks.class).add(callback);
    }

    private static void runQuietly(List<Runnable> callbacks) {
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException e) {
                log.warn("after a commit: {}", e.toString());
            }
        }
    }

    public void run(java.util.function.Consumer<Handle> callback) {
        write(h -> {
            callback.accept(h);
            return null;
        });
    }

    /** A pooled connection that broke under the query (class 08), as opposed to none to be had in time. */
    private static boolean brokenConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return false;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
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

    private void requireUp() {
        if (!up.getAsBoolean()) {
            sawDown.set(true);
            throw new StoreUnavailable("the metadata store is restarting; try again shortly", null);
        }
        if (sawDown.get() && sawDown.compareAndSet(true, false)) {
            // Back after a restart: connections opened before it are dead; replace them rather than fail on each.
            dataSource.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /**
     * A connection the pool could not get in time (Hikari's SQLTransientConnectionException), or one that broke
     * (SQLSTATE class 08, or 57P0x: the server shutting down): the store is unavailable, not the request wrong.
     */
    private static RuntimeException unavailableOr(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof StoreUnavailable) {
                return e;
            }
            if (cause instanceof SQLTransientConnectionException
                    || cause instanceof SQLException sql && SqlStates.unavailable(sql.getSQLState())) {
                return new StoreUnavailable("the metadata store is unavailable; try again shortly", e);
            }
        }
        return e;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
