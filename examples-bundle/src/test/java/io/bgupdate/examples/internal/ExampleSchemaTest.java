package io.bgupdate.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;

import javax.sql.DataSource;

import org.junit.Test;

import io.bgupdate.testkit.TestDatabases;

public class ExampleSchemaTest {

    private static final long NOW = 1_800_000_000_000L;

    @Test
    public void createsTheSchemaAndDataOnceOnly() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.Outcome first = ExampleSchema.createIfAbsent(ds, 4_000, NOW);
        assertTrue(first.created());
        assertEquals(10, first.rooms());
        ExampleSchema.Outcome second = ExampleSchema.createIfAbsent(ds, 9_999, NOW);
        assertFalse(second.created());
        assertEquals(4_000, second.events());
        try (Connection c = ds.getConnection()) {
            assertEquals(4_000, ExampleSchema.count(c, "SELECT COUNT(*) FROM events"));
            assertEquals(4_000, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
            assertEquals(4_000, ExampleSchema.count(c, "SELECT COUNT(DISTINCT event_id) FROM events"));
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events e WHERE NOT EXISTS"
                    + " (SELECT 1 FROM rooms r WHERE r.room_id = e.room_id)"));
            long oldest = ExampleSchema.count(c, "SELECT MIN(origin_server_ts) FROM events");
            long newest = ExampleSchema.count(c, "SELECT MAX(origin_server_ts) FROM events");
            assertTrue(oldest >= NOW - ExampleSchema.SPAN.toMillis());
            assertTrue(newest <= NOW + 1000);
            assertTrue("ids follow time", ExampleSchema.count(c, "SELECT COUNT(*) FROM events a JOIN events b"
                    + " ON b.id = a.id + 1 WHERE b.origin_server_ts + 1000 < a.origin_server_ts") == 0);
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM room_stats"));
        }
    }

    @Test
    public void anInterruptedGenerationIsDoneAgain() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.createIfAbsent(ds, 2_000, NOW);
        try (Connection c = ds.getConnection()) {
            // As if the host had stopped after some parts were committed, before the marker.
            c.createStatement().execute("DELETE FROM example_schema");
            c.createStatement().execute("DELETE FROM events WHERE id > 1500");
        }
        ExampleSchema.Outcome again = ExampleSchema.createIfAbsent(ds, 3_000, NOW);
        assertTrue(again.created());
        try (Connection c = ds.getConnection()) {
            assertEquals(3_000, ExampleSchema.count(c, "SELECT COUNT(*) FROM events"));
            assertEquals(7, ExampleSchema.count(c, "SELECT COUNT(*) FROM rooms"));
        }
    }

    @Test
    public void zeroRowsGivesAnEmptySchema() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.Outcome o = ExampleSchema.createIfAbsent(ds, 0, NOW);
        assertEquals(0, o.events());
        try (Connection c = ds.getConnection()) {
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events"));
        }
    }
}
