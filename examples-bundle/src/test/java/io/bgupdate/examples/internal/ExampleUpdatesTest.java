package io.bgupdate.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.Dictionary;
import java.util.List;

import javax.sql.DataSource;

import org.junit.Test;

import io.bgupdate.api.handler.UpdateProperties;
import io.bgupdate.testkit.HandlerDriver;
import io.bgupdate.testkit.TestDatabases;

public class ExampleUpdatesTest {

    @Test
    public void registersFourUpdatesInDependencyOrder() {
        List<ExampleUpdates.Registration> all = ExampleUpdates.all(Duration.ofDays(90), Clock.systemUTC());
        assertEquals(List.of("events_sender_domain_backfill", "events_sender_domain_index", "events_purge_expired",
                "room_stats_populate"), all.stream().map(ExampleUpdates.Registration::name).toList());
        Dictionary<String, Object> index = all.get(1).properties("main");
        assertEquals("events_sender_domain_index", index.get(UpdateProperties.NAME));
        assertEquals("events_sender_domain_backfill", index.get(UpdateProperties.DEPENDS_ON));
        assertEquals("main", index.get(UpdateProperties.DATABASE));
        assertEquals(0, index.get(UpdateProperties.ORDERING));
        assertTrue(all.get(1).handler().oneShot());
        assertNull(all.get(0).properties("main").get(UpdateProperties.DEPENDS_ON));
        assertEquals("events_purge_expired", all.get(3).properties("main").get(UpdateProperties.DEPENDS_ON));
    }

    @Test
    public void allFourRunToCompletionInOrder() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.createIfAbsent(ds, 3_000, System.currentTimeMillis());
        for (ExampleUpdates.Registration r : ExampleUpdates.all(Duration.ofDays(90), Clock.systemUTC())) {
            HandlerDriver.of(ds, r.handler()).size(250).runToCompletion();
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
            assertEquals(ExampleSchema.count(c, "SELECT COUNT(*) FROM events"), ExampleSchema.count(c, "SELECT SUM(event_count) FROM room_stats"));
            try (ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES"
                    + " WHERE INDEX_NAME = 'EVENTS_SENDER_DOMAIN_IDX'")) {
                rs.next();
                assertEquals(1, rs.getInt(1));
            }
        }
    }
}
