package io.bgupdate.examples.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * Deletes the events older than the retention period, in key ranges of {@code events.id}. The
 * cut-off is fixed by the first batch and saved with the progress,
 * {@code {"cutoff_ts": T, "last_id": N}}, so a restart deletes the same events, no more.
 */
final class ExpiredEventsPurge implements UpdateHandler {

    static final String LAST_ID = "last_id";
    static final String CUTOFF = "cutoff_ts";

    private static final String NEXT_IDS = "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM events"
            + " WHERE id > ? AND origin_server_ts < ? ORDER BY id LIMIT ?) batch_ids";
    private static final String DELETE = "DELETE FROM events WHERE id > ? AND id <= ? AND origin_server_ts < ?";

    private final Duration retention;
    private final Clock clock;

    ExpiredEventsPurge(Duration retention, Clock clock) {
        this.retention = retention;
        this.clock = clock;
    }

    @Override
    public int run(Batch batch) throws SQLException {
        long cutoff = cutoff(batch.progress());
        long from = batch.progress().getLong(LAST_ID, 0);
        Connection c = batch.connection();
        KeyRange range = KeyRange.next(c, NEXT_IDS, from, batch.size(), cutoff);
        if (range.isEmpty()) {
            batch.complete();
            return 0;
        }
        int deleted;
        try (PreparedStatement p = c.prepareStatement(DELETE)) {
            p.setLong(1, from);
            p.setLong(2, range.toLong());
            p.setLong(3, cutoff);
            deleted = p.executeUpdate();
        }
        if (range.isLast(batch.size())) {
            batch.complete();
        } else {
            batch.saveProgress(batch.progress().with(CUTOFF, cutoff).with(LAST_ID, range.toLong()));
        }
        return deleted;
    }

    @Override
    public OptionalLong estimateRemaining(Connection c, Progress progress) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM events WHERE id > ? AND origin_server_ts < ?")) {
            p.setLong(1, progress.getLong(LAST_ID, 0));
            p.setLong(2, cutoff(progress));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        }
    }

    private long cutoff(Progress progress) {
        return progress.getLong(CUTOFF, clock.millis() - retention.toMillis());
    }
}
