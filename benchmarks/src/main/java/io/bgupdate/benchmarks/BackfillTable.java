package io.bgupdate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * The table every back-fill works on, {@code (id BIGINT PRIMARY KEY, v BIGINT, d BIGINT, touched INT)},
 * and the work of one batch, shared by the runner's handler and the hand-written JDBC loop so that
 * they differ only in what is around it: {@code d = v * 2} and {@code touched + 1} over the next
 * primary-key range of up to {@code size} rows. {@code touched} counts how often each row was
 * processed, so that a check proves every row was processed exactly once.
 */
final class BackfillTable {

    /** What one batch did: the rows it processed and the last id it reached. */
    record Step(int items, long last) {
    }

    private BackfillTable() {
    }

    static void create(DataSource ds, String table, long rows) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, d BIGINT, touched INT DEFAULT 0 NOT NULL)");
            if (isPostgres(c)) {
                s.execute("INSERT INTO " + table + " (id, v) SELECT x, x * 7 FROM generate_series(1, " + rows + ") x");
                s.execute("VACUUM ANALYZE " + table);
                s.execute("CHECKPOINT");
            } else {
                s.execute("INSERT INTO " + table + " (id, v) DIRECT SELECT X, X * 7 FROM SYSTEM_RANGE(1, " + rows + ")");
                s.execute("CHECKPOINT");
            }
        }
    }

    /** @return whether the connection is to PostgreSQL (else H2) */
    static boolean isPostgres(Connection c) throws SQLException {
        return c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
    }

    /** The statement that sets a table's row of {@code bench_progress} to 0, on H2 or PostgreSQL. */
    static String resetProgress(Connection c, String table) throws SQLException {
        return isPostgres(c)
                ? "INSERT INTO bench_progress VALUES ('" + table + "', 0) ON CONFLICT (name) DO UPDATE SET last_id = 0"
                : "MERGE INTO bench_progress KEY (name) VALUES ('" + table + "', 0)";
    }

    static void drop(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table);
        }
    }

    /** One batch, in the caller's transaction: the next range after {@code from} of up to {@code size} rows. */
    static Step batch(Connection c, String table, long from, int size) throws SQLException {
        long last = from;
        int items = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM " + table + " WHERE id > ? ORDER BY id LIMIT ?")) {
            p.setLong(1, from);
            p.setInt(2, size);
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    items++;
                }
            }
        }
        if (items > 0) {
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE " + table + " SET d = v * 2, touched = touched + 1 WHERE id > ? AND id <= ?")) {
                p.setLong(1, from);
                p.setLong(2, last);
                p.executeUpdate();
            }
        }
        return new Step(items, last);
    }

    /** The same change as one statement in one transaction. */
    static long bulk(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement()) {
            return s.executeUpdate("UPDATE " + table + " SET d = v * 2, touched = touched + 1");
        }
    }

    /** @return {rows, rows right and processed exactly once, rows processed more than once, rows never processed} */
    static long[] check(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(CASE WHEN d = v * 2 AND touched = 1 THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN touched > 1 THEN 1 ELSE 0 END), SUM(CASE WHEN touched = 0 THEN 1 ELSE 0 END) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    /** @return whether every row was processed exactly once and right */
    static boolean exactlyOnce(long[] check) {
        return check[0] == check[1] && check[2] == 0 && check[3] == 0;
    }
}
