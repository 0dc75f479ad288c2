package io.bgupdate.testkit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.UpdateHandler;

/** A non-idempotent back-fill, {@code n = n + 1} by id range: a batch applied twice or lost shows in {@link #check}. */
public class Increment implements UpdateHandler {

    public final String table;
    /** Runs after the handler's work, before it returns: a test's fault. */
    public volatile Runnable afterWork = () -> { };

    public Increment(String table) {
        this.table = table;
    }

    /** Creates the table with {@code rows} rows, n = 0, on H2 or PostgreSQL. */
    public static Increment create(DataSource ds, String table, int rows) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, n INT DEFAULT 0 NOT NULL)");
            s.execute("INSERT INTO " + table + " (id) " + (c.getMetaData().getDatabaseProductName().equals("H2")
                    ? "SELECT X FROM SYSTEM_RANGE(1, " + rows + ")" : "SELECT x FROM generate_series(1, " + rows + ") AS x"));
        }
        return new Increment(table);
    }

    @Override
    public int run(Batch batch) throws Exception {
        long from = batch.progress().getLong("last_id", 0);
        Connection c = batch.connection();
        long last = from;
        int items = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM " + table + " WHERE id > ? ORDER BY id LIMIT ?")) {
            p.setLong(1, from);
            p.setInt(2, batch.size());
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    items++;
                }
            }
        }
        if (items == 0) {
            batch.complete();
        } else {
            try (PreparedStatement p = c.prepareStatement("UPDATE " + table + " SET n = n + 1 WHERE id > ? AND id <= ?")) {
                p.setLong(1, from);
                p.setLong(2, last);
                p.executeUpdate();
            }
            batch.saveProgress(batch.progress().with("last_id", last));
        }
        afterWork.run();
        return items;
    }

    /** @return {rows, rows with n = 1, rows with n > 1} */
    public static long[] check(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT COUNT(*), SUM(CASE WHEN n = 1 THEN 1 ELSE 0 END), SUM(CASE WHEN n > 1 THEN 1 ELSE 0 END) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }
}
