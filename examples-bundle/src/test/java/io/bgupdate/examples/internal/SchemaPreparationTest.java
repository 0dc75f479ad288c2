package io.bgupdate.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.Test;

/** The example schema is prepared off the activating thread, handed over once it exists, and stops on request. */
public class SchemaPreparationTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    public void preparesOnANamedThreadAndHandsOverOnceTheDataExists() throws Exception {
        DataSource ds = h2();
        AtomicReference<String> readyOn = new AtomicReference<>();
        AtomicReference<Long> eventsWhenReady = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        SchemaPreparation p = new SchemaPreparation(ds, "main", 3_000, outcome -> {
            readyOn.set(Thread.currentThread().getName());
            eventsWhenReady.set(events(ds));
        }, finished::countDown);
        p.start();
        assertTrue("finished within " + DEADLINE, finished.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertEquals("bgupdate-examples-schema-main", readyOn.get());
        assertNotEquals(Thread.currentThread().getName(), readyOn.get());
        assertEquals(Long.valueOf(3_000), eventsWhenReady.get());
        assertTrue(p.stop(DEADLINE));
    }

    @Test
    public void stopsDuringGenerationWithoutHandingOverAndTheNextStartGeneratesAgain() throws Exception {
        DataSource ds = h2();
        AtomicReference<ExampleSchema.Outcome> ready = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        // Far more events than can be generated before the stop below.
        SchemaPreparation p = new SchemaPreparation(ds, "main", 4_000_000, ready::set, finished::countDown);
        p.start();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (events(ds) == 0) { // the first 10,000 events are committed: generation is under way
            if (System.nanoTime() > deadline) {
                p.stop(DEADLINE);
                fail("no events generated within " + DEADLINE);
            }
            Thread.sleep(20);
        }
        assertTrue("stopped within " + DEADLINE, p.stop(DEADLINE));
        assertEquals(0, finished.getCount());
        assertNull("not handed over", ready.get());
        try (Connection c = ds.getConnection()) {
            assertEquals("not marked complete", 0, ExampleSchema.count(c, "SELECT COUNT(*) FROM example_schema"));
        }
        ExampleSchema.Outcome again = ExampleSchema.createIfAbsent(ds, 2_000, System.currentTimeMillis());
        assertTrue(again.created());
        assertEquals(2_000, events(ds));
    }

    @Test
    public void aFailureIsLoggedNotHandedOverAndFinishes() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";IFEXISTS=TRUE"); // no such database: every connection fails
        AtomicReference<ExampleSchema.Outcome> ready = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(1);
        SchemaPreparation p = new SchemaPreparation(ds, "main", 1_000, ready::set, finished::countDown);
        p.start();
        assertTrue(finished.await(DEADLINE.toSeconds(), TimeUnit.SECONDS));
        assertNull(ready.get());
        assertTrue(p.stop(DEADLINE));
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("bgupdate-examples-schema-main")));
    }

    private static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    private static long events(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return ExampleSchema.count(c, "SELECT COUNT(*) FROM events");
        } catch (SQLException e) { // the table is not there yet
            return 0;
        }
    }
}
