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

public class SenderDomainBackfillTest {

    private final SenderDomainBackfill handler = new SenderDomainBackfill();
    private DataSource ds;

    @Before
    public void schema() throws Exception {
        ds = TestBatch.h2();
        ExampleSchema.createIfAbsent(ds, 5_000, System.currentTimeMillis());
    }

    @Test
    public void fillsEveryRowInKeyRangeBatches() throws Exception {
        List<TestBatch.Run> runs = TestBatch.runToCompletion(ds, handler, 700);
        assertEquals("ceil(5000 / 700) batches", 8, runs.size());
        assertEquals(5_000, runs.stream().mapToInt(TestBatch.Run::items).sum());
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
        List<TestBatch.Run> runs = TestBatch.runToCompletion(ds, handler, 1_000);
        assertEquals(6, runs.size());
        assertEquals(0, runs.get(5).items());
        assertEquals(OptionalLong.of(0), runs.get(5).remainingBefore());
    }

    @Test
    public void doesNotCommitItsWork() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            TestBatch batch = new TestBatch(Progress.empty(), 100, c);
            assertEquals(100, handler.run(batch));
            assertEquals(Progress.empty().with("last_id", 100), batch.saved);
            c.rollback();
        }
        try (Connection c = ds.getConnection()) {
            assertEquals(5_000, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
        }
    }

    @Test
    public void resumesFromSavedProgress() throws Exception {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            TestBatch batch = new TestBatch(Progress.empty().with("last_id", 4_990), 100, c);
            assertEquals(10, handler.run(batch));
            assertTrue(batch.complete);
            c.commit();
            assertEquals(4_990, ExampleSchema.count(c, "SELECT COUNT(*) FROM events WHERE sender_domain IS NULL"));
            assertEquals(OptionalLong.of(10), handler.estimateRemaining(c, Progress.empty().with("last_id", 4_990)));
        }
    }
}
