package io.bgupdate.ratelimit.internal;

import static io.bgupdate.ratelimit.internal.Configs.config;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Clock;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.After;
import org.junit.Test;

import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;

/** The asynchronous side: waits on the timer, cancellation, live reconfiguration, deactivation. */
public class RateLimitControllerTest {

    /** A Wednesday. */
    private final MutableClock clock = new MutableClock("2026-11-25T12:00:00Z");
    private RateLimitController controller;

    private static final RateLimitConfiguration WEEKENDS = config("windows", "Sat-Sun 00:00-24:00", "zone", "UTC");

    private RateLimitController start(Clock c, RateLimitConfiguration config) {
        controller = new RateLimitController(c);
        controller.start(config, Map.of());
        return controller;
    }

    @After
    public void stop() {
        if (controller != null) {
            controller.deactivate();
        }
    }

    private static CompletableFuture<Long> enter(Iteration it) {
        return (CompletableFuture<Long>) it.enter();
    }

    @Test
    public void enteringCompletesAtOnceWhenTheLimitsAllow() throws Exception {
        start(clock, config());
        Iteration it = controller.onUpdate("backfill", "main", false);
        CompletableFuture<Long> f = enter(it);
        assertTrue(f.isDone());
        assertEquals("no speed estimate yet: the shortest batch", 1L, (long) f.get());
        assertEquals(0, controller.scheduledAttempts());
        it.exit(BatchResult.completed(100, 100, 100));
    }

    @Test
    public void aWaitIsAsynchronousAndEndsAtOnceWhenTheRunnerCancelsIt() {
        start(clock, WEEKENDS);
        Iteration it = controller.onUpdate("backfill", "main", false);
        CompletableFuture<Long> f = enter(it);
        assertFalse(f.isDone());
        assertEquals(1, controller.waitingBatches());
        assertEquals(1, controller.scheduledAttempts());
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals(RateLimitController.TIMER_THREAD)));
        f.cancel(true);
        assertEquals(0, controller.waitingBatches());
        assertEquals(0, controller.scheduledAttempts());
        it.exit(BatchResult.abandoned());
        assertEquals(DatabaseLimiter.Phase.IDLE, controller.status().databases().get(0).phase());
    }

    @Test
    public void exitingWithoutCancellingAlsoEndsTheWait() {
        start(clock, WEEKENDS);
        Iteration it = controller.onUpdate("backfill", "main", false);
        CompletableFuture<Long> f = enter(it);
        it.exit(BatchResult.abandoned());
        assertTrue(f.isCancelled());
        assertEquals(0, controller.waitingBatches());
        assertEquals(0, controller.scheduledAttempts());
    }

    @Test
    public void aNewConfigurationReachesABatchAlreadyWaiting() throws Exception {
        start(clock, WEEKENDS);
        CompletableFuture<Long> f = enter(controller.onUpdate("backfill", "main", false));
        assertFalse(f.isDone());
        controller.modified(config("rate", 0.0, "duration.max", 250L), Map.of());
        assertEquals(250L, (long) f.get(5, TimeUnit.SECONDS));
        assertEquals(0, controller.waitingBatches());
    }

    @Test
    public void theTimerLetsAWaitingBatchInWhenTheBudgetAllows() throws Exception {
        start(Clock.systemUTC(), config("rate", 1000.0, "burst", 20L, "duty", 1.0));
        Iteration first = controller.onUpdate("backfill", "main", false);
        assertTrue(enter(first).isDone());
        first.exit(BatchResult.completed(20, 20, 2));
        CompletableFuture<Long> f = enter(controller.onUpdate("backfill", "main", false));
        long desired = f.get(5, TimeUnit.SECONDS);
        // about 20 tokens at 10 items/ms
        assertTrue(String.valueOf(desired), desired >= 1 && desired <= 2);
    }

    @Test
    public void aBadConfigurationIsRejectedAndThePreviousOneStays() {
        start(clock, config("rate", 5.0));
        controller.modified(config("rate", 7.0, "duty", 2.0), Map.of());
        RateLimitController.Status s = controller.status();
        assertEquals(5, s.settings().base().rate(), 0);
        assertEquals("duty must be in (0, 1], got 2.0", s.rejection());
        controller.modified(config("rate", 7.0), Map.of());
        assertEquals(7, controller.status().settings().base().rate(), 0);
        assertNull(controller.status().rejection());
    }

    @Test
    public void aBadFirstConfigurationLeavesTheDefaults() {
        start(clock, config("windows", "nightly"));
        assertEquals(RateLimitSettings.DEFAULTS, controller.status().settings());
        assertTrue(controller.status().rejection().contains("malformed window 'nightly'"));
    }

    @Test
    public void batchSizesComeFromTheLimitsOfTheUpdate() throws Exception {
        start(clock, config("batch.default", 500, "batch.min", 20,
                "overrides", new String[] {"update:purge rate=50 batch.min=5"}));
        assertEquals(OptionalInt.of(500), controller.defaultBatchSize("backfill", "main").toCompletableFuture().get());
        assertEquals(OptionalInt.of(20), controller.minBatchSize("backfill", "main").toCompletableFuture().get());
        assertEquals(OptionalInt.of(50), controller.defaultBatchSize("purge", "main").toCompletableFuture().get());
        assertEquals(OptionalInt.of(5), controller.minBatchSize("purge", "main").toCompletableFuture().get());
    }

    @Test
    public void deactivationFailsPendingWaitsAndLaterOnes() {
        start(clock, WEEKENDS);
        CompletableFuture<Long> f = enter(controller.onUpdate("backfill", "main", false));
        controller.deactivate();
        assertTrue(f.isCompletedExceptionally());
        assertEquals(0, controller.waitingBatches());
        CompletableFuture<Long> later = enter(controller.onUpdate("backfill", "main", false));
        try {
            later.get(5, TimeUnit.SECONDS);
            fail("entered a stopped controller");
        } catch (ExecutionException e) {
            assertTrue(e.getCause() instanceof IllegalStateException);
        } catch (Exception e) {
            fail(e.toString());
        }
        controller = null;
    }

    @Test
    public void aValueOfTheWrongTypeIsRejectedNamingTheKeyAndTheValue() {
        start(clock, config("rate", 5.0));
        // DS's typed view would throw a bare NumberFormatException or fall back to a default: the raw value decides
        controller.modified(config("rate", 7.0), Map.of("rate", 7.0, "burst", "abc"));
        assertEquals(5, controller.status().settings().base().rate(), 0);
        assertEquals("burst: 'abc' is not a number", controller.status().rejection());
        controller.modified(config("rate", 7.0), Map.of("rate", "7", "batch.min", "2.5"));
        assertEquals("batch.min: '2.5' is not a whole number (or out of range)", controller.status().rejection());
        controller.modified(config("rate", 7.0), Map.of("rate", "7", "batch.min", 3_000_000_000L));
        assertEquals("batch.min: '3000000000' is out of range (-2147483648 to 2147483647)", controller.status().rejection());
        assertEquals(5, controller.status().settings().base().rate(), 0);
        controller.modified(config("rate", 7.0), Map.of("rate", "7", "service.pid", RateLimitController.PID));
        assertEquals(7, controller.status().settings().base().rate(), 0);
        assertNull(controller.status().rejection());
    }

    @Test
    public void unknownKeysAreNamedAndIgnored() {
        start(clock, config("rate", 5.0));
        controller.modified(config("duty", 0.5), Map.of("rte", 5, "duty", 0.5, "felix.fileinstall.filename", "file:x.cfg",
                "component.name", RateLimitController.PID, "component.id", 3L, ".private", "x",
                "osgi.ds.satisfying.condition.target", "(osgi.condition.id=true)"));
        RateLimitController.Status s = controller.status();
        assertEquals("in force, with the default rate", 1000, s.settings().base().rate(), 0);
        assertEquals(0.5, s.settings().base().duty(), 0);
        assertNull(s.rejection());
        assertEquals(java.util.List.of("'rte' (did you mean 'rate'?)"), s.ignored());
        controller.modified(config(), Map.of("min_batch_sise", 5, "frobnicate", true));
        assertEquals(java.util.List.of("'frobnicate'", "'min_batch_sise' (did you mean 'batch.min'?)"), controller.status().ignored());
        controller.modified(config(), Map.of());
        assertEquals(java.util.List.of(), controller.status().ignored());
    }
}
