package io.bgupdate.examples.internal;

import static org.junit.Assert.assertEquals;

import java.sql.Connection;
import java.util.List;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.junit.Test;

import io.bgupdate.testkit.BatchRun;
import io.bgupdate.testkit.HandlerDriver;
import io.bgupdate.testkit.TestDatabases;

public class RoomStatsPopulateTest {

    private static final String MISMATCHES = "SELECT COUNT(*) FROM room_stats s JOIN (SELECT room_id, COUNT(*) n,"
            + " COUNT(DISTINCT sender) u, MIN(origin_server_ts) f, MAX(origin_server_ts) l FROM events GROUP BY room_id) e"
            + " ON e.room_id = s.room_id WHERE s.event_count <> e.n OR s.sender_count <> e.u OR s.first_ts <> e.f OR s.last_ts <> e.l";

    @Test
    public void summarisesEveryRoomAndCanRunAgain() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.createIfAbsent(ds, 8_000, System.currentTimeMillis());
        List<BatchRun> runs = HandlerDriver.of(ds, new RoomStatsPopulate()).size(7).runToCompletion();
        assertEquals(20, runs.stream().mapToInt(BatchRun::items).sum());
        assertEquals(OptionalLong.of(20), runs.get(0).remainingBefore());
        assertEquals(OptionalLong.of(13), runs.get(1).remainingBefore());
        check(ds);
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute("DELETE FROM events WHERE id % 2 = 0");
        }
        HandlerDriver.of(ds, new RoomStatsPopulate()).size(3).runToCompletion();
        check(ds);
    }

    private static void check(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection()) {
            assertEquals(20, ExampleSchema.count(c, "SELECT COUNT(*) FROM room_stats"));
            assertEquals(0, ExampleSchema.count(c, MISMATCHES));
            assertEquals(ExampleSchema.count(c, "SELECT COUNT(*) FROM events"), ExampleSchema.count(c, "SELECT SUM(event_count) FROM room_stats"));
        }
    }
}
