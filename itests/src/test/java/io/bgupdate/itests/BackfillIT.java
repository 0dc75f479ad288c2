package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.controller.BatchResult;

/** Scenarios 1–3: a real back-fill, Synapse's batch sizing, the default controller's sleep. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BackfillIT extends BgupdateTestSupport {

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate();
    }

    @Test
    public void backfillOfThousandsOfRowsCompletesEveryRowOnce() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "background_update_duration_ms", 50L));
        Backfill backfill = Backfill.create(db, "items", 5000);
        handler("items_backfill", backfill);

        awaitCompleted("items_backfill");

        assertArrayEquals(new long[] {5000, 5000, 0}, Backfill.check(db, "items"));
        awaitStatus("an empty queue", s -> s.state() == RunnerState.COMPLETE && s.queue().isEmpty());
        assertEquals(5000, status().totalItems());
        List<UpdateRun> history = updates.history(DB);
        assertEquals(1, history.size());
        UpdateRun run = history.get(0);
        assertEquals("items_backfill", run.name());
        assertEquals(DB, run.databaseName());
        assertEquals(UpdateRun.Outcome.COMPLETE, run.outcome());
        assertEquals(5000, run.items());
        assertTrue(run.completed().isPresent());
        assertTrue(backfill.calls.size() > 2);
    }

    @Test
    public void batchSizesFollowSynapsesFormulaExactly() throws Exception {
        configureRunner(Map.of("default_batch_size", 30, "min_batch_size", 5));
        Recorder recorder = new Recorder("r", 40);
        controller(recorder, 10);
        Backfill backfill = Backfill.create(db, "items", 3000);
        backfill.microsPerItem.set(300);
        handler("items_backfill", backfill);

        awaitCompleted("items_backfill");

        List<BatchResult> batches = recorder.completedBatches();
        assertTrue("several batches ran: " + batches.size(), batches.size() > 5);
        assertEquals("the first batch has the configured default size", 30, batches.get(0).batchSize());
        double avgItems = 0;
        double avgMillis = 0;
        long total = 0;
        for (int k = 1; k < batches.size(); k++) {
            BatchResult previous = batches.get(k - 1);
            avgItems += 0.1 * (previous.items() - avgItems);
            avgMillis += 0.1 * (previous.duration().toNanos() / 1e6 - avgMillis);
            total += previous.items();
            int expected = total == 0 ? 30 : (int) Math.max(Math.floor(40 * (avgMillis == 0 ? 0 : avgItems / avgMillis)), 5);
            assertEquals("size of batch " + k + " after " + batches.subList(0, k), expected, batches.get(k).batchSize());
        }
        assertArrayEquals(new long[] {3000, 3000, 0}, Backfill.check(db, "items"));
    }

    @Test
    public void configuredMinimumAndDefaultApplyWhenTheControllerDoesNotSay() throws Exception {
        configureRunner(Map.of("default_batch_size", 7, "min_batch_size", 250));
        controller(new Recorder("r", 1), 10);
        Backfill backfill = Backfill.create(db, "items", 2000);
        handler("items_backfill", backfill);

        awaitCompleted("items_backfill");

        List<Integer> sizes = backfill.calls.stream().map(Backfill.Call::size).toList();
        assertEquals(7, (int) sizes.get(0));
        assertTrue("later batches are at least the minimum: " + sizes, sizes.subList(1, sizes.size()).stream().allMatch(s -> s >= 250));
    }

    @Test
    public void configuredDurationScalesTheBatchesOfTheDefaultController() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "background_update_duration_ms", 20L));
        Backfill shortBatches = Backfill.create(db, "short_items", 1500);
        shortBatches.microsPerItem.set(1000);
        handler("short", shortBatches);
        awaitCompleted("short");

        configureRunner(Map.of("sleep_enabled", false, "background_update_duration_ms", 80L));
        Backfill longBatches = Backfill.create(db, "long_items", 3000);
        longBatches.microsPerItem.set(1000);
        handler("long", longBatches);
        awaitCompleted("long");

        double shortMedian = medianSizeAfterWarmUp(shortBatches);
        double longMedian = medianSizeAfterWarmUp(longBatches);
        // 1 ms per item: batches of about 20 and 80 items on a quiet machine. A loaded machine
        // sleeps longer than asked, so fewer items fit: bound from above, and compare the two.
        assertTrue("20 ms batches of at most about 20 items: " + shortMedian, shortMedian >= 2 && shortMedian <= 21);
        assertTrue("80 ms batches of at most about 80 items: " + longMedian, longMedian >= 8 && longMedian <= 81);
        assertTrue("4 times the duration, about 4 times the items: " + shortMedian + " → " + longMedian,
                longMedian / shortMedian > 2.0);
    }

    private static double medianSizeAfterWarmUp(Backfill b) {
        List<Integer> sizes = b.calls.stream().skip(5).filter(c -> c.items() > 0).map(Backfill.Call::size).sorted().toList();
        return sizes.get(sizes.size() / 2);
    }

    @Test
    public void defaultControllerSleepsBeforeEveryBatchTheFirstIncluded() throws Exception {
        configureRunner(Map.of("sleep_enabled", true, "sleep_duration_ms", 300L, "default_batch_size", 50, "min_batch_size", 50,
                "background_update_duration_ms", 1L));
        Backfill backfill = Backfill.create(db, "items", 150);
        long registered = System.nanoTime();
        handler("items_backfill", backfill);

        awaitCompleted("items_backfill");

        List<Backfill.Call> calls = backfill.calls;
        assertEquals("3 batches of 50 and the one that completes", 4, calls.size());
        assertTrue("slept before the first batch", TimeUnit.NANOSECONDS.toMillis(calls.get(0).startNanos() - registered) >= 300);
        for (int k = 1; k < calls.size(); k++) {
            long gap = TimeUnit.NANOSECONDS.toMillis(calls.get(k).startNanos() - calls.get(k - 1).endNanos());
            assertTrue("slept before batch " + k + ": " + gap + " ms", gap >= 300);
        }
    }

    @Test
    public void disabledSleepRunsBatchesBackToBack() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "default_batch_size", 50, "min_batch_size", 50,
                "background_update_duration_ms", 1L));
        Backfill backfill = Backfill.create(db, "items", 500);
        handler("items_backfill", backfill);

        awaitCompleted("items_backfill");

        List<Backfill.Call> calls = backfill.calls;
        assertTrue("batches of at least 50: " + calls.size(), calls.size() > 3 && calls.size() <= 11);
        List<Long> gaps = new java.util.ArrayList<>();
        for (int k = 1; k < calls.size(); k++) {
            gaps.add(TimeUnit.NANOSECONDS.toMillis(calls.get(k).startNanos() - calls.get(k - 1).endNanos()));
        }
        gaps.sort(null);
        assertTrue("no sleep between batches: " + gaps, gaps.get(gaps.size() / 2) < 150);
    }
}
