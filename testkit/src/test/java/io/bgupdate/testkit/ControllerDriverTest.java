package io.bgupdate.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

public class ControllerDriverTest {

    /** Batches only at night (22:00-06:00 UTC), waiting on a minimal stage; gives 1 ms of work per ms since the last batch, at most 500. */
    static final class NightOnly implements BackgroundUpdateController {
        final Clock clock;
        final List<String> calls = new CopyOnWriteArrayList<>();
        long lastExit;

        NightOnly(Clock clock) {
            this.clock = clock;
            this.lastExit = clock.millis();
        }

        @Override
        public Iteration onUpdate(String update, String database, boolean oneShot) {
            return new Iteration() {
                @Override
                public CompletionStage<Long> enter() {
                    LocalTime t = LocalTime.now(clock);
                    if (t.isAfter(LocalTime.of(6, 0)) && t.isBefore(LocalTime.of(22, 0))) {
                        return new CompletableFuture<Long>().minimalCompletionStage(); // completed by no one in this test
                    }
                    return CompletableFuture.completedStage(Math.min(500, clock.millis() - lastExit));
                }

                @Override
                public void abandon() {
                    calls.add("abandon");
                }

                @Override
                public void exit(BatchResult result) {
                    calls.add("exit " + result.outcome());
                    lastExit = clock.millis();
                }
            };
        }

        @Override
        public CompletionStage<OptionalInt> minBatchSize(String update, String database) {
            return CompletableFuture.completedStage(OptionalInt.of(0));
        }
    }

    @Test
    public void batchesMoveTheFakeClock() {
        FakeClock clock = new FakeClock("2026-11-25T23:00:00Z");
        NightOnly night = new NightOnly(clock);
        ControllerDriver driver = new ControllerDriver(night, "main", clock);
        clock.advance(Duration.ofMillis(200));
        assertEquals(200, driver.batch("backfill", 10, Duration.ofMillis(40)));
        assertEquals(0, driver.batch("backfill", 10, Duration.ofMillis(40)));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(500, driver.batch("backfill", 10, Duration.ofMillis(40)));
        assertEquals(List.of("exit COMPLETED", "exit COMPLETED", "exit COMPLETED"), night.calls);
        assertEquals(100, driver.defaultBatchSize("backfill", 100));
    }

    @Test
    public void aWaitOnAMinimalStageIsAbandonedThenExited() {
        FakeClock clock = new FakeClock("2026-11-25T12:00:00Z");
        NightOnly night = new NightOnly(clock);
        ControllerDriver.Entered e = new ControllerDriver(night, "main", clock).enter("backfill", false);
        assertFalse(e.isDone());
        e.abandon();
        assertEquals(List.of("abandon", "exit ABANDONED"), night.calls);
        assertThrows(AssertionError.class, () -> e.exit(BatchResult.abandoned()));
    }

    @Test
    public void answersTheRunnerRefusesFailTheTest() {
        FakeClock clock = new FakeClock("2026-11-25T12:00:00Z");
        ControllerDriver driver = new ControllerDriver(new NightOnly(clock), "main", clock);
        AssertionError min = assertThrows(AssertionError.class, () -> driver.minBatchSize("backfill", 1));
        assertTrue(min.getMessage(), min.getMessage().contains("at least 1"));
        AssertionError waits = assertThrows(AssertionError.class, () -> driver.batch("backfill", 1, Duration.ZERO));
        assertTrue(waits.getMessage(), waits.getMessage().contains("waits"));
        BackgroundUpdateController none = (u, d, o) -> null;
        assertThrows(AssertionError.class, () -> new ControllerDriver(none, "main", clock).enter("backfill", false));
    }
}
