package io.bgupdate.healthcheck.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.junit.Test;

public class DatabaseWatchTest {

    private static final Rules RULES = new Rules(Duration.ofMinutes(10), Duration.ofMinutes(5));
    private static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    private final DatabaseWatch watch = new DatabaseWatch();

    private static Observation running(long items, Map<String, Long> faults, String... errors) {
        return new Observation("main", "RUNNING", Optional.empty(), Optional.of("backfill"), items, items, List.of("backfill"), "RateLimitController (io.bgupdate.ratelimit)",
                faults, List.of(errors));
    }

    private List<ResultLog.Entry> at(Observation o, Duration after) {
        return watch.assess(o, T0.plus(after), RULES);
    }

    private static Result.Status worst(List<ResultLog.Entry> entries) {
        ResultLog log = new ResultLog();
        entries.forEach(log::add);
        return log.getAggregateStatus();
    }

    private static String text(List<ResultLog.Entry> entries) {
        return entries.stream().map(e -> e.getStatus() + " " + e.getMessage()).collect(Collectors.joining("\n"));
    }

    @Test
    public void runningWithProgressIsOk() {
        assertEquals(Result.Status.OK, worst(at(running(0, Map.of()), Duration.ZERO)));
        List<ResultLog.Entry> e = at(running(500, Map.of()), Duration.ofMinutes(20));
        assertEquals(text(e), Result.Status.OK, worst(e));
        assertEquals("main: RUNNING, update backfill (500 items done), controller RateLimitController (io.bgupdate.ratelimit)",
                e.get(0).getMessage());
    }

    @Test
    public void noProgressForTheStallTimeIsAWarningThatSaysSince() {
        at(running(100, Map.of()), Duration.ZERO);
        assertEquals(Result.Status.OK, worst(at(running(100, Map.of()), Duration.ofMinutes(9))));
        List<ResultLog.Entry> e = at(running(100, Map.of()), Duration.ofMinutes(10));
        assertEquals(text(e), Result.Status.WARN, worst(e));
        assertTrue(text(e), text(e).contains("main: update backfill has made no progress for 10 min 0 s although not paused"));
        assertEquals("progress clears it", Result.Status.OK, worst(at(running(101, Map.of()), Duration.ofMinutes(11))));
    }

    @Test
    public void zeroStallTimeNeverWarns() {
        Rules never = new Rules(Duration.ZERO, Duration.ofMinutes(5));
        watch.assess(running(1, Map.of()), T0, never);
        assertEquals(Result.Status.OK, worst(watch.assess(running(1, Map.of()), T0.plus(Duration.ofDays(1)), never)));
    }

    @Test
    public void noFirstBatchForTheStallTimeIsAWarningNamingTheQueue() {
        Observation waiting = new Observation("main", "NOT_STARTED", Optional.empty(), Optional.empty(), 0, 0, List.of("a", "b"), "c",
                Map.of(), List.of());
        at(waiting, Duration.ZERO);
        List<ResultLog.Entry> e = at(waiting, Duration.ofMinutes(10));
        assertEquals(text(e), Result.Status.WARN, worst(e));
        assertTrue(text(e), text(e).contains("main: no batch has completed for 10 min 0 s although not paused (queued: a, b; controller c)"));
        Observation complete = new Observation("main", "COMPLETE", Optional.empty(), Optional.empty(), 0, 0, List.of(), "c", Map.of(), List.of());
        assertEquals("nothing to do is no stall", Result.Status.OK, worst(at(complete, Duration.ofHours(1))));
    }

    @Test
    public void pausedIsAWarningAndNotAStall() {
        Observation paused = new Observation("main", "DISABLED", Optional.empty(), Optional.of("backfill"), 5, 5, List.of("backfill"), "c", Map.of(), List.of());
        at(paused, Duration.ZERO);
        List<ResultLog.Entry> e = at(paused, Duration.ofHours(2));
        assertEquals(Result.Status.WARN, worst(e));
        assertEquals(text(e), 1, e.stream().filter(x -> x.getStatus() == Result.Status.WARN).count());
        assertTrue(text(e), text(e).contains("main: paused by an operator (DISABLED)"));
    }

    @Test
    public void faultsWarnWhileTheyGrowThenClear() {
        assertEquals(Result.Status.OK, worst(at(running(1, Map.of()), Duration.ZERO)));
        List<ResultLog.Entry> e = at(running(2, Map.of("minBatchSize returned 0", 3L)), Duration.ofSeconds(10));
        assertEquals(text(e), Result.Status.WARN, worst(e));
        assertTrue(text(e), text(e).contains("controllers are faulting (3 faults since start, the last 0 s ago): minBatchSize returned 0 x3"));
        assertEquals(Result.Status.WARN, worst(at(running(3, Map.of("minBatchSize returned 0", 3L)), Duration.ofMinutes(5))));
        assertEquals("no new fault for 5 min", Result.Status.OK, worst(at(running(4, Map.of("minBatchSize returned 0", 3L)), Duration.ofSeconds(311))));
        assertEquals(Result.Status.WARN, worst(at(running(5, Map.of("minBatchSize returned 0", 4L)), Duration.ofSeconds(320))));
    }

    @Test
    public void abortedIsCriticalWithTheError() {
        Observation aborted = new Observation("main", "ABORTED", Optional.empty(), Optional.of("backfill"), 5, 5, List.of("backfill"), "c", Map.of(),
                List.of("update backfill failed (5 in a row): boom"));
        List<ResultLog.Entry> e = at(aborted, Duration.ZERO);
        assertEquals(Result.Status.CRITICAL, worst(e));
        assertTrue(text(e), text(e).contains("CRITICAL main: ABORTED after repeated handler failures, until an operator resumes it"
                + " (bgupdate:resume): update backfill failed (5 in a row): boom"));
    }

    @Test
    public void anUnreachableDatabaseIsCriticalAndNotAStall() {
        at(running(7, Map.of()), Duration.ZERO);
        List<ResultLog.Entry> e = at(running(7, Map.of(), "database main unavailable: Connection refused"), Duration.ofHours(1));
        assertEquals(Result.Status.CRITICAL, worst(e));
        assertTrue(text(e), text(e).contains("CRITICAL main: the database cannot be reached: database main unavailable: Connection refused"));
        assertTrue(text(e), !text(e).contains("no progress"));
    }

    @Test
    public void otherErrorsAreWarnings() {
        List<ResultLog.Entry> e = at(running(7, Map.of(), "dependency cycle: a -> b -> a"), Duration.ZERO);
        assertEquals(Result.Status.WARN, worst(e));
        assertTrue(text(e), text(e).contains("WARN main: updates cannot run: dependency cycle: a -> b -> a"));
    }

    @Test
    public void anUpdateRunByAnotherHostIsNotStalledHere() {
        Observation elsewhere = new Observation("main", "RUNNING", Optional.of("hostB"), Optional.empty(), 0, 0, List.of("backfill"), "c", Map.of(), List.of());
        at(elsewhere, Duration.ZERO);
        List<ResultLog.Entry> e = at(elsewhere, Duration.ofHours(1));
        assertEquals(text(e), Result.Status.OK, worst(e));
        assertTrue(text(e), text(e).contains("run by host hostB"));
    }
}
