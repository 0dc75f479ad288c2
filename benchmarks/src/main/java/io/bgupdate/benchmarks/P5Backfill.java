package io.bgupdate.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.UpdateHandler;

/** P5's back-fill: {@code d = v * 2} over a table of {@code rows} rows, by id ranges; records each batch. */
final class P5Backfill implements UpdateHandler {

    /** One batch: when it ended (nanoTime) and how many rows it did. */
    record Done(long endNanos, int rows) {
    }

    final List<Done> done = new CopyOnWriteArrayList<>();

    static void create(DataSource ds, int rows) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE backfill (id BIGINT PRIMARY KEY, v BIGINT NOT NULL, d BIGINT, pad TEXT)");
            s.execute("INSERT INTO backfill (id, v, pad) SELECT g, g % 1000, repeat('x', 100) FROM generate_series(1, " + rows + ") g");
            s.execute("VACUUM ANALYZE backfill");
        }
    }

    @Override
    public int run(Batch batch) throws Exception {
        long from = batch.progress().getLong("last_id", 0);
        Connection c = batch.connection();
        long last = from;
        int items = 0;
        try (PreparedStatement p = c.prepareStatement("SELECT id FROM backfill WHERE id > ? ORDER BY id LIMIT ?")) {
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
            try (PreparedStatement p = c.prepareStatement("UPDATE backfill SET d = v * 2 WHERE id > ? AND id <= ?")) {
                p.setLong(1, from);
                p.setLong(2, last);
                p.executeUpdate();
            }
            batch.saveProgress(batch.progress().with("last_id", last));
        }
        done.add(new Done(System.nanoTime(), items));
        return items;
    }
}
