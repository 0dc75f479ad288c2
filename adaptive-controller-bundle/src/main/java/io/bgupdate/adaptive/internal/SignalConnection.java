package io.bgupdate.adaptive.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;

import javax.sql.DataSource;

/**
 * A connection of the controller's own, opened from the database's {@link DataSource} when first
 * needed and again after a failure, named {@value #APPLICATION} where the driver supports it (so
 * that the activity signal does not count it). Used by one thread at a time.
 */
final class SignalConnection implements AutoCloseable {

    static final String APPLICATION = "bgupdate adaptive";
    /** The seconds any signal query may take. */
    static final int QUERY_TIMEOUT_SECONDS = 5;

    /** Finds the database's DataSource, or {@code null} if none is registered now. */
    interface Lookup {
        DataSource find();
    }

    private final Lookup lookup;
    private Connection connection;

    SignalConnection(Lookup lookup) {
        this.lookup = lookup;
    }

    /** @return the open connection, opened if needed */
    Connection get() throws SQLException {
        if (connection == null) {
            DataSource ds = lookup.find();
            if (ds == null) {
                throw new SQLException("no DataSource registered for this database");
            }
            Connection c = ds.getConnection();
            try {
                c.setAutoCommit(true);
                c.setClientInfo(new Properties() {
                    {
                        setProperty("ApplicationName", APPLICATION);
                    }
                });
            } catch (SQLException | RuntimeException e) {
                // H2 and others do not name connections: the name is only a courtesy to pg_stat_activity.
            }
            connection = c;
        }
        return connection;
    }

    /** Drops the connection after a failure, so the next use opens a new one. */
    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException | RuntimeException e) {
                // Already broken: nothing more to do.
            }
        }
    }
}
