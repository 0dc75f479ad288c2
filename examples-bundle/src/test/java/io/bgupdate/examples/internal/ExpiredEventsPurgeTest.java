package io.bgupdate.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.junit.Test;

import io.bgupdate.api.handler.Progress;
import io.bgupdate.testkit.BatchRun;
import io.bgupdate.testkit.HandlerDriver;
import io.bgupdate.testkit.TestDatabases;

public class ExpiredEventsPurgeTest {

    private static final long NOW = 1_800_000_000_000L;

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        long millis = NOW;

        @Override
        public long millis() {
            return millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    public void deletesExactlyTheEventsOlderThanTheRetentionWhenTheFirstBatchRan() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.createIfAbsent(ds, 6_000, NOW);
        long cutoff = NOW - Duration.ofDays(90).toMillis();
        long expired;
        try (Connection c = ds.getConnection()) {
            expired = ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE origin_server_ts < " + cutoff);
        }
        assertTrue("a quarter of 120 days is expired: " + expired, expired > 1_400 && expired < 1_600);

        TestClock clock = new TestClock();
        ExpiredEventsPurge purge = new ExpiredEventsPurge(Duration.ofDays(90), clock);
        Progress saved;
        try (Connection c = ds.getConnection()) {
            assertEquals(OptionalLong.of(expired), purge.estimateRemaining(c, Progress.empty()));
        }
        HandlerDriver first = HandlerDriver.of(ds, purge).size(400);
        assertEquals(400, first.runBatch().items());
        saved = first.progress();
        assertEquals(Progress.empty().with("cutoff_ts", cutoff).with("last_id", 400), saved);

        clock.millis += Duration.ofDays(30).toMillis(); // a restart a month later purges the same events
        List<BatchRun> runs = HandlerDriver.of(ds, purge).size(400).from(saved).runToCompletion();
        assertEquals(OptionalLong.of(expired - 400), runs.get(0).remainingBefore());
        assertEquals(expired - 400, runs.stream().mapToInt(BatchRun::items).sum());
        try (Connection c = ds.getConnection()) {
            assertEquals(6_000 - expired, ExampleSchema.count(c, "SELECT COUNT(*) FROM events"));
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE origin_server_ts < " + cutoff));
        }
    }

    @Test
    public void nothingExpiredCompletesAtOnce() throws Exception {
        DataSource ds = TestDatabases.h2();
        ExampleSchema.createIfAbsent(ds, 1_000, NOW);
        ExpiredEventsPurge purge = new ExpiredEventsPurge(Duration.ofDays(365), new TestClock());
        List<BatchRun> runs = HandlerDriver.of(ds, purge).size(100).runToCompletion();
        assertEquals(1, runs.size());
        assertEquals(0, runs.get(0).items());
    }
}
