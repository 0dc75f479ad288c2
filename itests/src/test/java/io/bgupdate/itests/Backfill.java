package io.bgupdate.itests;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * A realistic batched back-fill over a table of its own: {@code doubled = v * 2} by primary-key
 * range, counting in {@code touched} how often each row was processed, so that a test can prove
 * every row was processed exactly once. Records each batch it is asked for.
 */
class Backfill implements UpdateHandler {

    /** One call of the handler, as it saw it. */
    record Call(int size, int items, long startNanos, long endNanos, Progress progress) {
    }

    final String table;
    final List<Call> calls = new CopyOnWriteArrayList<>();
    /** Makes the next calls fail, one per count. */
    final AtomicInteger failNext = new AtomicInteger();
    /** Per-item cost in microseconds, spent sleeping. */
    final AtomicLong microsPerItem = new AtomicLong();

    Backfill(String table) {
        this.table = table;
    }

    static Backfill create(DataSource ds, String table, int rows) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, doubled BIGINT, touched INT DEFAULT 0 NOT NULL)");
            s.execute("INSERT INTO " + table + " (id, v) " + TestDatabase.series(c, rows));
        }
        return new Backfill(table);
    }

    @Override
    public int run(Batch batch) throws Exception {
        long start = System.nanoTime();
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new IllegalStateException("planned failure of " + table);
        }
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
            try (PreparedStatement p = c.prepareStatement(
                    "UPDATE " + table + " SET doubled = v * 2, touched = touched + 1 WHERE id > ? AND id <= ?")) {
                p.setLong(1, from);
                p.setLong(2, last);
                p.executeUpdate();
            }
            batch.saveProgress(batch.progress().with("last_id", last));
        }
        long micros = microsPerItem.get() * items;
        if (micros > 0) {
            Thread.sleep(micros / 1000, (int) (micros % 1000) * 1000);
        }
        calls.add(new Call(batch.size(), items, start, System.nanoTime(), batch.progress()));
        return items;
    }

    @Override
    public OptionalLong estimateRemaining(Connection c, Progress progress) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM " + table + " WHERE id > ?")) {
            p.setLong(1, progress.getLong("last_id", 0));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        }
    }

    /** @return {rows, rows doubled right and touched exactly once, rows touched more than once} */
    static long[] check(DataSource ds, String table) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(CASE WHEN doubled = v * 2 AND touched = 1 THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN touched > 1 THEN 1 ELSE 0 END) FROM " + table)) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }
}
