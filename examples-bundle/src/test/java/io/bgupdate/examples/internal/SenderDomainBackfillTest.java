package io.bgupdate.examples.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.util.List;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.junit.Before;
import org.junit.Test;

import io.bgupdate.api.handler.Progress;
import io.bgupdate.testkit.BatchRun;
import io.bgupdate.testkit.HandlerDriver;
import io.bgupdate.testkit.TestDatabases;

public class SenderDomainBackfillTest {

    private final SenderDomainBackfill handler = new SenderDomainBackfill();
    private DataSource ds;

    @Before
    public void schema() throws Exception {
        ds = TestDatabases.h2();
        ExampleSchema.createIfAbsent(ds, 5_000, System.currentTimeMillis());
    }

    @Test
    public void fillsEveryRowExactlyOnceWhenEveryCommitFailsOnce() throws Exception {
        HandlerDriver.of(ds, handler).size(700).rollingBackEachBatchOnce().runToCompletion();
        try (Connection c = ds.getConnection()) {
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
        }
    }

    @Test
    public void fillsEveryRowInKeyRangeBatches() throws Exception {
        List<BatchRun> runs = HandlerDriver.of(ds, handler).size(700).runToCompletion();
        assertEquals("ceil(5000 / 700) batches", 8, runs.size());
        assertEquals(5_000, runs.stream().mapToInt(BatchRun::items).sum());
        assertEquals(Progress.empty(), runs.get(0).progressBefore());
        assertEquals(Progress.empty().with("last_id", 700), runs.get(1).progressBefore());
        assertEquals(OptionalLong.of(5_000), runs.get(0).remainingBefore());
        assertEquals(OptionalLong.of(5_000 - 700), runs.get(1).remainingBefore());
        try (Connection c = ds.getConnection()) {
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
            assertEquals(0, ExampleSchema.count(c, "SELECT COUNT(*) FROM events"
                    + " WHERE LEFT(sender, POSITION(':' IN sender)) || sender_domain <> sender"));
            assertTrue(ExampleSchema.count(c, "SELECT COUNT(DISTINCT sender_domain) FROM events") > 3);
        }
    }

    @Test
    public void anExactMultipleOfTheBatchSizeEndsWithAnEmptyBatch() throws Exception {
        List<BatchRun> runs = HandlerDriver.of(ds, handler).size(1_000).runToCompletion();
        assertEquals(6, runs.size());
        assertEquals(0, runs.get(5).items());
        assertEquals(OptionalLong.of(0), runs.get(5).remainingBefore());
    }

    @Test
    public void doesNotCommitItsWork() throws Exception {
        BatchRun run = HandlerDriver.of(ds, handler).size(100).runBatchRolledBack();
        assertEquals(100, run.items());
        assertEquals(Progress.empty().with("last_id", 100), run.progressAfter().orElseThrow());
        try (Connection c = ds.getConnection()) {
            assertEquals(5_000, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
        }
    }

    @Test
    public void resumesFromSavedProgress() throws Exception {
        BatchRun run = HandlerDriver.of(ds, handler).size(100).from(Progress.empty().with("last_id", 4_990)).runBatch();
        assertEquals(10, run.items());
        assertTrue(run.completed());
        try (Connection c = ds.getConnection()) {
            assertEquals(4_990, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
            assertEquals(OptionalLong.of(10), handler.estimateRemaining(c, Progress.empty().with("last_id", 4_990)));
        }
    }
}
