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
 * Populates the {@code room_stats} summary table, room by room: an item is a room, however many
 * events it has, so batch durations vary and the runner's sizing has something to adapt to.
 * Batches are key ranges of {@code rooms.room_id}; the progress is {@code {"last_room_id": "..."}}.
 * A batch replaces the rows of its rooms, so running the update again (start-job) is safe.
 */
final class RoomStatsPopulate implements UpdateHandler {

    static final String LAST_ROOM_ID = "last_room_id";

    private static final String NEXT_ROOMS = "SELECT MAX(room_id), COUNT(*) FROM (SELECT room_id FROM rooms"
            + " WHERE room_id > ? ORDER BY room_id LIMIT ?) batch_rooms";
    private static final String CLEAR = "DELETE FROM room_stats WHERE room_id > ? AND room_id <= ?";
    private static final String SUMMARISE = "INSERT INTO room_stats (room_id, event_count, sender_count, first_ts, last_ts)"
            + " SELECT r.room_id, COUNT(e.id), COUNT(DISTINCT e.sender), MIN(e.origin_server_ts), MAX(e.origin_server_ts)"
            + " FROM rooms r LEFT JOIN events e ON e.room_id = r.room_id"
            + " WHERE r.room_id > ? AND r.room_id <= ? GROUP BY r.room_id";

    @Override
    public int run(Batch batch) throws SQLException {
        String from = batch.progress().getString(LAST_ROOM_ID, "");
        Connection c = batch.connection();
        KeyRange range = KeyRange.next(c, NEXT_ROOMS, from, batch.size());
        if (range.isEmpty()) {
            batch.complete();
            return 0;
        }
        String to = range.to().toString();
        for (String sql : new String[] {CLEAR, SUMMARISE}) {
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, from);
                p.setString(2, to);
                p.executeUpdate();
            }
        }
        if (range.isLast(batch.size())) {
            batch.complete();
        } else {
            batch.saveProgress(batch.progress().with(LAST_ROOM_ID, to));
        }
        return range.count();
    }

    @Override
    public OptionalLong estimateRemaining(Connection c, Progress progress) throws SQLException {
        try (PreparedStatement p = c.prepareStatement("SELECT COUNT(*) FROM rooms WHERE room_id > ?")) {
            p.setString(1, progress.getString(LAST_ROOM_ID, ""));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return OptionalLong.of(rs.getLong(1));
            }
        }
    }
}
