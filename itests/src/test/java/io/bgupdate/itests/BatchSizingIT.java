package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.handler.UpdateProperties;

/** The runner's batch_sizing and max_batch_size, and an update's own bgupdate.update.max.batch.size. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BatchSizingIT extends BgupdateTestSupport {

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate();
    }

    /** 10 s batches want thousands of items: the tracking sizing doubles from 10 up to the bound of 150. */
    @Test
    public void trackingSizingGrowsAtMostTwofoldUpToTheConfiguredMaximum() throws Exception {
        configureRunner(Map.of("default_batch_size", 10, "batch_sizing", "tracking", "max_batch_size", 150));
        List<BatchResult> batches = backfill(2000);
        assertEquals(10, batches.get(0).batchSize());
        for (int k = 1; k < batches.size(); k++) {
            String where = "batch " + k + " of " + sizes(batches);
            assertTrue(where, batches.get(k).batchSize() <= 2 * batches.get(k - 1).items());
            assertTrue(where, batches.get(k).batchSize() <= 150);
        }
        assertTrue(sizes(batches).toString(), sizes(batches).contains(150));
    }

    @Test
    public void anUpdatesOwnMaximumBoundsItsBatchesUnderSynapsesSizing() throws Exception {
        configureRunner(Map.of("default_batch_size", 10));
        List<BatchResult> batches = backfill(600, UpdateProperties.MAX_BATCH_SIZE, 25);
        assertEquals(10, batches.get(0).batchSize());
        assertEquals("Synapse's sizing jumps to the bound at once: " + sizes(batches), 25, batches.get(1).batchSize());
        assertTrue(sizes(batches).toString(), batches.stream().allMatch(b -> b.batchSize() <= 25));
    }

    @Test
    public void anUnknownSizingIsRejectedAndThePreviousOneKept() throws Exception {
        configureRunner(Map.of("default_batch_size", 10, "batch_sizing", "tracking"));
        configureRunner(Map.of("default_batch_size", 10, "batch_sizing", "fastest"));
        List<BatchResult> batches = backfill(1000);
        assertEquals("tracking still in force: " + sizes(batches), 20, batches.get(1).batchSize());
    }

    /**
     * A back-fill under a controller asking for 10 s batches, so that the speed always asks for more
     * than the bounds, however loaded the machine; @return its completed batches
     */
    private List<BatchResult> backfill(int rows, Object... properties) throws Exception {
        Recorder recorder = new Recorder("r", 10_000);
        controller(recorder, 10);
        Backfill backfill = Backfill.create(db, "items", rows);
        handler("items_backfill", backfill, properties);
        awaitCompleted("items_backfill");
        assertArrayEquals(new long[] {rows, rows, 0}, Backfill.check(db, "items"));
        List<BatchResult> batches = recorder.completedBatches();
        assertTrue("several batches: " + sizes(batches), batches.size() > 3);
        return batches;
    }

    private static List<Integer> sizes(List<BatchResult> batches) {
        return batches.stream().map(BatchResult::batchSize).toList();
    }
}
