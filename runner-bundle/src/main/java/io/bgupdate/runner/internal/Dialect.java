package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.handler.ConstraintValidation;
import io.bgupdate.api.handler.IndexUpdate;

/**
 * What differs per database: column types, how an index is built, and how the hosts sharing a
 * database agree on which of them runs its updates. The one seam to extend for another
 * database; everything else the runner writes is SQL that H2 and PostgreSQL share.
 */
enum Dialect {

    /** H2, the embedded default: one host per database file, so this host always runs the updates. */
    H2("CHARACTER VARYING") {
        @Override
        void createIndex(IndexUpdate index, Connection batch, DataSource dataSource) throws SQLException {
            if (index.where().isPresent() && index.unique()) {
                throw new SQLException("H2 has no partial indexes, so it cannot create the partial unique index " + index.indexName());
            }
            index.where().ifPresent(w -> LOG.info("H2 has no partial indexes: {} is created over all rows", index.indexName()));
            try (Statement s = batch.createStatement()) {
                s.execute("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + index.indexName()
                        + " ON " + index.table() + " (" + String.join(", ", index.columns()) + ")");
                if (index.replaces().isPresent()) {
                    s.execute("DROP INDEX IF EXISTS " + index.replaces().get());
                }
            }
        }

        @Override
        void validateConstraint(ConstraintValidation validation, Connection batch) {
            LOG.info("H2 validates constraints when they are added: nothing to do for {}", validation.constraint());
        }

        @Override
        boolean tryLead(Connection session) {
            return true;
        }

        @Override
        Optional<String> leader(Connection c) {
            return Optional.empty();
        }
    },

    /**
     * PostgreSQL. Indexes are built concurrently, outside the batch's transaction, as Synapse
     * does. The host that holds a session-level advisory lock runs the updates; PostgreSQL
     * releases it when that host's session ends, and TCP keepalives bound how long a vanished
     * host keeps it.
     */
    POSTGRESQL("TEXT") {
        @Override
        void prepareSession(Connection session, String hostId) throws SQLException {
            try (PreparedStatement p = session.prepareStatement("SELECT set_config('application_name', ?, false)");
                    Statement s = session.createStatement()) {
                p.setString(1, APPLICATION + hostId);
                p.execute();
                s.execute("SET tcp_keepalives_idle = 5");
                s.execute("SET tcp_keepalives_interval = 2");
                s.execute("SET tcp_keepalives_count = 3");
            }
        }

        @Override
        void release(Connection session) throws SQLException {
            try (Statement s = session.createStatement()) {
                s.execute("SELECT pg_advisory_unlock(" + LOCK_KEY_1 + ", " + LOCK_KEY_2 + ")");
            }
        }

        @Override
        void resetSession(Connection session) throws SQLException {
            try (Statement s = session.createStatement()) {
                for (String setting : SESSION_SETTINGS) {
                    s.execute("RESET " + setting);
                }
            }
        }

        @Override
        void createIndex(IndexUpdate index, Connection batch, DataSource dataSource) throws SQLException {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(true);
                s.execute("SET statement_timeout = 0");
                try {
                    buildIndex(index, c, s);
                } finally {
                    s.execute("RESET statement_timeout"); // the connection may go back to the application's pool
                }
            }
        }

        private void buildIndex(IndexUpdate index, Connection c, Statement s) throws SQLException {
            // An interrupted CREATE INDEX CONCURRENTLY leaves an invalid index behind: drop it and build again.
            try (PreparedStatement p = c.prepareStatement("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    + " WHERE c.relname = ? AND NOT i.indisvalid")) {
                p.setString(1, index.indexName().toLowerCase());
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        LOG.info("Dropping the invalid index {} left by an interrupted build", index.indexName());
                        s.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.indexName());
                    }
                }
            }
            s.execute("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX CONCURRENTLY IF NOT EXISTS "
                    + index.indexName() + " ON " + index.table() + " (" + String.join(", ", index.columns()) + ")"
                    + index.where().map(w -> " WHERE " + w).orElse(""));
            if (index.replaces().isPresent()) {
                s.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index.replaces().get());
            }
        }

        @Override
        void validateConstraint(ConstraintValidation validation, Connection batch) throws SQLException {
            try (Statement s = batch.createStatement()) {
                s.execute("SET LOCAL statement_timeout = 0");
                s.execute("ALTER TABLE " + validation.table() + " VALIDATE CONSTRAINT " + validation.constraint());
            }
        }

        @Override
        boolean tryLead(Connection session) throws SQLException {
            try (Statement s = session.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_try_advisory_lock(" + LOCK_KEY_1 + ", " + LOCK_KEY_2 + ")")) {
                rs.next();
                return rs.getBoolean(1);
            }
        }

        @Override
        Optional<String> leader(Connection c) throws SQLException {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                            + " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = " + LOCK_KEY_1
                            + " AND l.objid = " + LOCK_KEY_2 + " AND l.objsubid = 2")) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String name = rs.getString(1);
                return Optional.of(name != null && name.startsWith(APPLICATION) ? name.substring(APPLICATION.length()) : "?");
            }
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(Dialect.class);

    /** The advisory lock of the host that runs the updates: "bgup", "date". */
    private static final int LOCK_KEY_1 = 0x62677570;
    private static final int LOCK_KEY_2 = 0x64617465;
    private static final String APPLICATION = "bgupdate ";
    /** What {@link #prepareSession} sets, reset before the connection goes back to a pool. */
    private static final List<String> SESSION_SETTINGS =
            List.of("application_name", "tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count");

    private final String textType;

    Dialect(String textType) {
        this.textType = textType;
    }

    /** @return the dialect of the database behind the connection */
    static Dialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName();
        if (product.toLowerCase().contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.equalsIgnoreCase("H2")) {
            return H2;
        }
        throw new SQLException("bgupdate does not support " + product + " (H2 and PostgreSQL are supported)");
    }

    /** @return the statements that create the runner's tables if they do not exist */
    List<String> createTables() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS background_updates (update_name VARCHAR(255) NOT NULL, progress_json " + textType
                        + " NOT NULL, depends_on VARCHAR(255), ordering INT NOT NULL DEFAULT 0,"
                        + " CONSTRAINT background_updates_uniqueness UNIQUE (update_name))",
                "CREATE TABLE IF NOT EXISTS bgupdate_history (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                        + " update_name VARCHAR(255) NOT NULL, database_name VARCHAR(255) NOT NULL, started_ms BIGINT NOT NULL,"
                        + " completed_ms BIGINT, items BIGINT NOT NULL, busy_ms BIGINT NOT NULL, outcome VARCHAR(16) NOT NULL)",
                "CREATE TABLE IF NOT EXISTS bgupdate_state (name VARCHAR(64) NOT NULL PRIMARY KEY, state_value " + textType + ")");
    }

    /** Prepares the runner's own session: names it after the host, so that others can tell who runs the updates. */
    void prepareSession(Connection session, String hostId) throws SQLException {
    }

    /** Gives up what {@link #tryLead} took, before the session's connection is closed (a pool would keep it). */
    void release(Connection session) throws SQLException {
    }

    /** Resets what {@link #prepareSession} set, before the session's connection is closed (a pool would keep it). */
    void resetSession(Connection session) throws SQLException {
    }

    /**
     * Creates an index as {@link IndexUpdate} describes it.
     *
     * @param batch the batch's connection, in its transaction
     * @param dataSource the database, for work that must run outside that transaction
     */
    abstract void createIndex(IndexUpdate index, Connection batch, DataSource dataSource) throws SQLException;

    /** Validates a constraint as {@link ConstraintValidation} describes it, in the batch's transaction. */
    abstract void validateConstraint(ConstraintValidation validation, Connection batch) throws SQLException;

    /**
     * Tries to become the host that runs this database's updates, for as long as the session lasts.
     * Call once per session.
     */
    abstract boolean tryLead(Connection session) throws SQLException;

    /** @return the host that runs this database's updates, if any is known */
    abstract Optional<String> leader(Connection c) throws SQLException;

    /** @return whether the error means the connection is lost, rather than the statement failed */
    static boolean isConnectionFailure(SQLException e, Connection c) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        try {
            return c != null && !c.isValid(2);
        } catch (SQLException invalid) {
            return true;
        }
    }
}
