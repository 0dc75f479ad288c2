package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.handler.Progress;

/**
 * The runner's tables in one database: the queue ({@code background_updates}, as in Synapse),
 * the history of runs ({@code bgupdate_history}) and the pause and abort flags
 * ({@code bgupdate_state}), which every host sharing the database sees. Every method works on
 * the caller's connection; those that write more than one row make a transaction of their own
 * unless the caller's is open. What differs per database is in {@link Dialect}.
 */
final class Store {

    /**
     * A row of the queue.
     *
     * @param progressText the progress as stored, which a batch's compare-and-set compares with
     */
    record Queued(String name, int ordering, Optional<String> dependsOn, Progress progress, String progressText) {
    }

    /** The longest update name the queue holds ({@code update_name VARCHAR(255)}). */
    static final int MAX_NAME = 255;

    /** The open history row of the update being run. */
    record Run(long id, Instant started, long items, long busyMillis) {
    }

    /** The flags of {@code bgupdate_state}: paused, and the reason the updates were aborted. */
    record State(boolean paused, Optional<String> aborted) {
    }

    private static final String PAUSED = "paused";
    private static final String ABORTED = "aborted";
    private static final int HISTORY_LIMIT = 1000;

    private final String databaseName;
    private final Dialect dialect;

    private Store(String databaseName, Dialect dialect) {
        this.databaseName = databaseName;
        this.dialect = dialect;
    }

    /** Learns the dialect and creates the tables if they do not exist. */
    static Store open(Connection c, String databaseName) throws SQLException {
        Dialect dialect = Dialect.of(c);
        try {
            createTables(c, dialect);
        } catch (SQLException e) {
            // Two hosts creating the tables at once: PostgreSQL's IF NOT EXISTS is not atomic. The other one won.
            if (e.getSQLState() == null || !(e.getSQLState().equals("23505") || e.getSQLState().equals("42P07"))) {
                throw e;
            }
            createTables(c, dialect);
        }
        return new Store(databaseName, dialect);
    }

    private static void createTables(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String ddl : dialect.createTables()) {
                s.execute(ddl);
            }
        }
    }

    Dialect dialect() {
        return dialect;
    }

    List<Queued> queue(Connection c) throws SQLException {
        List<Queued> result = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT update_name, ordering, depends_on, progress_json FROM background_updates")) {
            while (rs.next()) {
                String text = rs.getString(4);
                result.add(new Queued(rs.getString(1), rs.getInt(2), Optional.ofNullable(rs.getString(3)).filter(d -> !d.isEmpty()),
                        Progress.parse(text), text));
            }
        }
        return result;
    }

    /**
     * Queues an update unless it is queued or, when {@code unlessCompleted}, has completed before.
     *
     * @return whether it was queued by this call
     */
    boolean enqueue(Connection c, String name, int ordering, Optional<String> dependsOn, boolean unlessCompleted)
            throws SQLException {
        return inTransaction(c, () -> {
            if (exists(c, "SELECT 1 FROM background_updates WHERE update_name = ?", name)
                    || (unlessCompleted && hasCompletedBefore(c, name))) {
                return false;
            }
            try (PreparedStatement p = c.prepareStatement(
                    "INSERT INTO background_updates (update_name, progress_json, depends_on, ordering) VALUES (?, '{}', ?, ?)")) {
                p.setString(1, name);
                p.setString(2, dependsOn.orElse(null));
                p.setInt(3, ordering);
                p.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (e.getSQLState() != null && e.getSQLState().startsWith("23")) { // queued meanwhile by another host
                    return false;
                }
                throw e;
            }
        });
    }

    State state(Connection c) throws SQLException {
        boolean paused = false;
        Optional<String> aborted = Optional.empty();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT name, state_value FROM bgupdate_state")) {
            while (rs.next()) {
                if (PAUSED.equals(rs.getString(1))) {
                    paused = Boolean.parseBoolean(rs.getString(2));
                } else if (ABORTED.equals(rs.getString(1))) {
                    aborted = Optional.ofNullable(rs.getString(2));
                }
            }
        }
        return new State(paused, aborted);
    }

    void setPaused(Connection c, boolean paused) throws SQLException {
        setState(c, PAUSED, paused ? "true" : null);
    }

    /** Records why the updates were aborted, or clears it. */
    void setAborted(Connection c, Optional<String> reason) throws SQLException {
        setState(c, ABORTED, reason.orElse(null));
    }

    private void setState(Connection c, String name, String value) throws SQLException {
        inTransaction(c, () -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM bgupdate_state WHERE name = ?")) {
                del.setString(1, name);
                del.executeUpdate();
            }
            if (value != null) {
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO bgupdate_state (name, state_value) VALUES (?, ?)")) {
                    ins.setString(1, name);
                    ins.setString(2, value);
                    ins.executeUpdate();
                }
            }
            return null;
        });
    }

    /** @return whether the update has completed and is not queued again */
    boolean hasCompleted(Connection c, String name) throws SQLException {
        return !exists(c, "SELECT 1 FROM background_updates WHERE update_name = ?", name) && hasCompletedBefore(c, name);
    }

    /** @return the names of the updates that have completed at least once */
    Set<String> completedNames(Connection c) throws SQLException {
        Set<String> result = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT update_name FROM bgupdate_history WHERE outcome = 'COMPLETE'")) {
            while (rs.next()) {
                result.add(rs.getString(1));
            }
        }
        return result;
    }

    /** @return the open history row of the update, opened now if there is none */
    Run openRun(Connection c, String name, Instant now) throws SQLException {
        return inTransaction(c, () -> {
            try (PreparedStatement p = c.prepareStatement("SELECT id, started_ms, items, busy_ms FROM bgupdate_history"
                    + " WHERE update_name = ? AND outcome = 'RUNNING' ORDER BY id DESC")) {
                p.setString(1, name);
                try (ResultSet rs = p.executeQuery()) {
                    if (rs.next()) {
                        return new Run(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getLong(3), rs.getLong(4));
                    }
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO bgupdate_history"
                    + " (update_name, database_name, started_ms, items, busy_ms, outcome) VALUES (?, ?, ?, 0, 0, 'RUNNING')",
                    new String[] {"id"})) {
                p.setString(1, name);
                p.setString(2, databaseName);
                p.setLong(3, now.toEpochMilli());
                p.executeUpdate();
                try (ResultSet keys = p.getGeneratedKeys()) {
                    keys.next();
                    return new Run(keys.getLong(1), now, 0, 0);
                }
            }
        });
    }

    /**
     * Saves a batch in the caller's open transaction: the new progress, or the update's
     * completion, and the run's totals. The queue row is changed only if it still holds the
     * progress text the batch started from, exactly as read, so a batch can never be applied on
     * top of another's (and a row written by something else with other spacing still matches).
     *
     * @param startedText the queue row's progress text as read before the batch
     * @param next the new progress, or empty if the update completed
     * @throws SQLException also if the queue row moved on meanwhile
     */
    void saveBatch(Connection c, String name, long runId, String startedText, Optional<Progress> next, int items, long millis,
            Instant now) throws SQLException {
        String queueSql = next.isPresent()
                ? "UPDATE background_updates SET progress_json = ? WHERE update_name = ? AND progress_json = ?"
                : "DELETE FROM background_updates WHERE update_name = ? AND progress_json = ?";
        try (PreparedStatement p = c.prepareStatement(queueSql)) {
            int i = 1;
            if (next.isPresent()) {
                p.setString(i++, next.get().toJson());
            }
            p.setString(i++, name);
            p.setString(i, startedText);
            if (p.executeUpdate() != 1) {
                throw new SQLException("the queue row of " + name + " changed during the batch; the batch is rolled back");
            }
        }
        try (PreparedStatement p = c.prepareStatement("UPDATE bgupdate_history SET items = items + ?, busy_ms = busy_ms + ?,"
                + " completed_ms = ?, outcome = ? WHERE id = ?")) {
            p.setLong(1, items);
            p.setLong(2, millis);
            if (next.isPresent()) {
                p.setNull(3, java.sql.Types.BIGINT);
            } else {
                p.setLong(3, now.toEpochMilli());
            }
            p.setString(4, next.isPresent() ? "RUNNING" : "COMPLETE");
            p.setLong(5, runId);
            p.executeUpdate();
        }
    }

    List<UpdateRun> history(Connection c) throws SQLException {
        List<UpdateRun> result = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement(
                "SELECT update_name, database_name, started_ms, completed_ms, items, busy_ms, outcome FROM bgupdate_history"
                        + " ORDER BY id DESC")) {
            p.setMaxRows(HISTORY_LIMIT);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    long completedMs = rs.getLong(4);
                    Optional<Instant> completed = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(completedMs));
                    result.add(new StatusRecords.Run(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(3)), completed,
                            rs.getLong(5), rs.getLong(6), UpdateRun.Outcome.valueOf(rs.getString(7))));
                }
            }
        }
        return result;
    }

    private static boolean hasCompletedBefore(Connection c, String name) throws SQLException {
        return exists(c, "SELECT 1 FROM bgupdate_history WHERE update_name = ? AND outcome = 'COMPLETE'", name);
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, name);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Work that needs a transaction: the caller's if one is open, else one of its own. */
    interface SqlWork<T> {
        T run() throws SQLException;
    }

    static <T> T inTransaction(Connection c, SqlWork<T> work) throws SQLException {
        if (!c.getAutoCommit()) {
            return work.run();
        }
        c.setAutoCommit(false);
        try {
            T result = work.run();
            c.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                c.rollback();
            } catch (SQLException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        } finally {
            try {
                c.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken; the caller finds out on its next use
            }
        }
    }
}
