package io.bgupdate.examples.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.OptionalLong;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * Fills {@code events.sender_domain} (the server part of the sender, {@code @alice:example.org}
 * gives {@code example.org}) for the events stored before the column existed. Batches are key
 * ranges of {@code events.id}; the progress is {@code {"last_id": N}}, the last id filled.
 */
final class SenderDomainBackfill implements UpdateHandler {

    static final String LAST_ID = "last_id";

    private static final String NEXT_IDS =
            "SELECT MAX(id), COUNT(*) FROM (SELECT id FROM events WHERE id > ? ORDER BY id LIMIT ?) batch_ids";
    private static final String FILL = "UPDATE events SET sender_domain = SUBSTRING(sender FROM POSITION(':' IN sender) + 1)"
            + " WHERE id > ? AND id <= ?";

    @Override
    public int run(Batch batch) throws SQLException {
        long from = batch.progress().getLong(LAST_ID, 0);
        Connection c = batch.connection();
        KeyRange range = KeyRange.next(c, NEXT_IDS, from, batch.size());
        if (range.isEmpty()) {
            batch.complete();
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement(FILL)) {
            p.setLong(1, from);
            p.setLong(2, range.toLong());
            p.executeUpdate();
        }
        if (range.isLast(batch.size())) {
            batch.complete();
        } else {
            batch.saveProgress(batch.progress().with(LAST_ID, range.toLong()));
        }
        return range.count();
    }

    @Override
    public OptionalLong estimateRemaining(Connection c, Progress progress) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM events WHERE id > ?")) {
            p.setLong(1, progress.getLong(LAST_ID, 0));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        }
    }
}
