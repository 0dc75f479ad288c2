package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runner's session and its lease: one connection of the runner's own, opened from the
 * database's {@link DataSource}, holding the batches' transactions and, on PostgreSQL, the
 * advisory lock that makes this host the one that runs the updates. Every open re-checks the
 * runner's tables (a database restored from an older state may lack them). Closing releases the
 * lock and resets the session's settings before the connection goes back to a pool; if that
 * fails the connection is aborted, so a pool can never keep the lock.
 */
final class Session implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    final Connection connection;
    final Store store;
    private boolean leading;

    private Session(Connection connection, Store store) {
        this.connection = connection;
        this.store = store;
    }

    /** Opens a session: a connection in auto-commit, the tables created if missing, the session named after the host. */
    static Session open(DataSource dataSource, String databaseName, String hostId) throws SQLException {
        Connection c = dataSource.getConnection();
        if (c == null) {
            throw new SQLException("the DataSource of database " + databaseName + " returned no connection");
        }
        try {
            c.setAutoCommit(true);
            Store store = Store.open(c, databaseName);
            store.dialect().prepareSession(c, hostId);
            return new Session(c, store);
        } catch (Throwable e) {
            abort(c);
            throw e;
        }
    }

    Dialect dialect() {
        return store.dialect();
    }

    /** @return whether this host holds the lease now, taking it if it is free */
    boolean lead() throws SQLException {
        if (!leading) {
            leading = dialect().tryLead(connection);
        }
        return leading;
    }

    boolean isLeading() {
        return leading;
    }

    /** @return the host that holds the lease, if any is known */
    Optional<String> leader() throws SQLException {
        return dialect().leader(connection);
    }

    /** Rolls back what is open, gives the lease up and resets the session, then closes the connection; aborts it if any of that fails. */
    @Override
    public void close() {
        try {
            if (!connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
            if (leading) {
                dialect().release(connection);
            }
            dialect().resetSession(connection);
            connection.close();
        } catch (Throwable e) { // the DataSource may be a plug-in's pool: whatever it throws, the connection is aborted
            LOG.debug("closing the session failed; aborting its connection", e);
            abort(connection);
        }
        leading = false;
    }

    /** Ends the connection at once, from any thread: a statement in flight fails, the server rolls back and drops the lock. */
    static void abort(Connection c) {
        Executor now = Runnable::run;
        try {
            c.abort(now);
        } catch (Throwable e) { // a driver or pool: whatever it throws, close is tried next
            LOG.debug("aborting a connection failed", e);
        }
        try {
            if (!c.isClosed()) { // H2 ignores abort; closing rolls back what is open
                c.close();
            }
        } catch (Throwable e) {
            LOG.debug("closing an aborted connection failed", e);
        }
    }
}
