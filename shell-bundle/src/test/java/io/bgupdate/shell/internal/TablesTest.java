package io.bgupdate.shell.internal;

import static org.junit.Assert.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.junit.Test;

import io.bgupdate.api.ControllerFault;
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.handler.Progress;

public class TablesTest {

    /** The status types, as a runner would implement them. */
    record Status(String databaseName, RunnerState state, String host, Optional<String> runsOn, Optional<CurrentUpdate> current,
            long totalItems, long totalBusyMillis, OptionalDouble averageItemsPerMs, List<QueuedUpdate> queue,
            ControllerInfo controller, List<ControllerFault> faults, List<String> errors) implements DatabaseStatus {
    }

    record Current(String name, Instant started, long items, long busyMillis, long batches, int lastBatchSize, Progress progress,
            OptionalLong remaining, Optional<Duration> eta) implements CurrentUpdate {
    }

    record Queued(String name, int ordering, Optional<String> dependsOn, Progress progress, boolean hasHandler) implements QueuedUpdate {
    }

    record Run(String name, String databaseName, Instant started, Optional<Instant> completed, long items, long busyMillis,
            Outcome outcome) implements UpdateRun {
    }

    record Controller(String type, String bundle, long serviceId, int ranking, boolean builtIn, boolean active) implements ControllerInfo {
    }

    record Fault(Kind kind, String message, long count) implements ControllerFault {
    }

    static final Instant NOW = Instant.parse("2026-11-26T10:05:00Z");
    static final Tables TABLES = new Tables(Clock.fixed(NOW, ZoneOffset.UTC));

    static final ControllerInfo TOKEN_BUCKET = new Controller("io.bgupdate.ratelimit.internal.TokenBucketController",
            "io.bgupdate.ratelimit", 42, 10, false, true);
    static final ControllerInfo SLOW = new Controller("com.example.SlowController", "com.example.slow", 57, 5, false, false);
    static final ControllerInfo DEFAULT = new Controller("io.bgupdate.runner.internal.DefaultController",
            "io.bgupdate.runner", 0, 0, true, false);

    static final Progress SAVED = Progress.empty().with("last_id", 80_000);

    static final CurrentUpdate BACKFILL = new Current("events_backfill", Instant.parse("2026-11-26T10:00:00Z"),
            80_000, 8_213, 64, 1_250, SAVED, OptionalLong.of(120_000), Optional.of(Duration.ofSeconds(65)));

    static final List<QueuedUpdate> QUEUE = List.of(
            new Queued("events_backfill", 7000, Optional.empty(), SAVED, true),
            new Queued("events_kind_index", 7001, Optional.of("events_backfill"), Progress.empty(), true),
            new Queued("purge_old_events", 7002, Optional.empty(), Progress.empty(), false),
            new Queued("events_summary", 7003, Optional.of("events_gone"), Progress.empty(), true));

    static final DatabaseStatus RUNNING = new Status("main", RunnerState.RUNNING, "h1", Optional.of("h1"), Optional.of(BACKFILL), 95_000,
            10_100, OptionalDouble.of(9.7564), QUEUE, TOKEN_BUCKET,
            List.of(new Fault(ControllerFault.Kind.INVALID_VALUE, "minBatchSize returned 0", 3L),
                    new Fault(ControllerFault.Kind.THREW, "onUpdate threw IllegalStateException: no token", 7L)),
            List.of());

    static final DatabaseStatus PAUSED = new Status("archive", RunnerState.DISABLED, "h1", Optional.of("h2"), Optional.empty(), 0, 0,
            OptionalDouble.empty(), List.of(), DEFAULT, List.of(), List.of());

    static final DatabaseStatus ABORTED = new Status("audit", RunnerState.ABORTED, "h1", Optional.empty(),
            Optional.of(new Current("audit_rewrite", Instant.parse("2026-11-26T09:00:00Z"), 0, 0, 0, 100,
                    Progress.empty(), OptionalLong.empty(), Optional.empty())),
            0, 0, OptionalDouble.empty(), List.of(new Queued("audit_rewrite", 0, Optional.empty(), Progress.empty(), true)),
            DEFAULT, List.of(),
            List.of("update audit_rewrite failed (5 in a row): java.sql.SQLException: disk\nfull"));

    @Test
    public void statusShowsProgressEtaControllerAndFaults() {
        assertEquals("""
                main  RUNNING
                  runs on     this host (h1)
                  update      events_backfill  started 2026-11-26 10:00:00, 5m 00s ago
                  progress    [############------------------]   40.0%  ETA 1m 05s
                  items       80,000 done, 120,000 left
                  batches     64 since start, last 1,250 items
                  busy        8.2 s (8,213 ms)
                  speed       9.76 items/ms
                  saved       {"last_id":80000}
                  totals      95,000 items, busy 10 s (10,100 ms) since start
                  queue       4: events_backfill, events_kind_index, purge_old_events, events_summary
                  controller  TokenBucketController  bundle io.bgupdate.ratelimit, service 42, ranking 10
                  faults      7 x onUpdate threw IllegalStateException: no token
                              3 x minBatchSize returned 0
                  errors      none""", TABLES.status(RUNNING));
    }

    @Test
    public void statusOfPausedAndAbortedDatabases() {
        assertEquals("""
                archive  DISABLED  paused: bgupdate:resume archive to go on
                  runs on     h2; this host (h1) stands by
                  update      none
                  totals      0 items, busy 0 ms since start
                  queue       empty
                  controller  DefaultController (built-in)  bundle io.bgupdate.runner
                  faults      none
                  errors      none

                audit  ABORTED  stopped after repeated failures: bgupdate:resume audit to retry
                  runs on     no host yet; this host is h1
                  update      audit_rewrite  started 2026-11-26 09:00:00, 1h 05m ago
                  progress    unknown: the handler gives no estimate
                  items       0 done
                  batches     0 since start, last 100 items
                  busy        0 ms
                  speed       -
                  saved       {}
                  totals      0 items, busy 0 ms since start
                  queue       1: audit_rewrite
                  controller  DefaultController (built-in)  bundle io.bgupdate.runner
                  faults      none
                  errors      update audit_rewrite failed (5 in a row): java.sql.SQLException: disk full""",
                TABLES.status(List.of(PAUSED, ABORTED)));
    }

    @Test
    public void statusWithoutDatabases() {
        assertEquals("no databases", TABLES.status(List.of()));
    }

    @Test
    public void queueShowsOrderingDependencyHandlerAndState() {
        assertEquals("""
                DATABASE  UPDATE             ORDERING  DEPENDS ON       HANDLER  STATE       PROGRESS
                main      events_backfill        7000  -                yes      current     {"last_id":80000}
                main      events_kind_index      7001  events_backfill  yes      waiting     {}
                main      purge_old_events       7002  -                no       no handler  {}
                main      events_summary         7003  events_gone      yes      ready       {}
                audit     audit_rewrite             0  -                yes      current     {}""",
                TABLES.queue(List.of(RUNNING, PAUSED, ABORTED)));
        assertEquals("nothing queued", TABLES.queue(List.of(PAUSED)));
    }

    @Test
    public void historyNewestFirstWithLimit() {
        List<UpdateRun> runs = List.of(
                new Run("events_backfill", "main", Instant.parse("2026-11-26T09:00:00Z"),
                        Optional.of(Instant.parse("2026-11-26T09:03:20Z")), 200_000, 24_012, UpdateRun.Outcome.COMPLETE),
                new Run("events_summary", "main", Instant.parse("2026-11-26T10:04:00Z"), Optional.empty(), 1_200, 950,
                        UpdateRun.Outcome.RUNNING),
                new Run("events_kind_index", "main", Instant.parse("2026-11-26T09:03:21Z"),
                        Optional.of(Instant.parse("2026-11-26T09:03:25Z")), 1, 3_900, UpdateRun.Outcome.COMPLETE));
        assertEquals("""
                DATABASE  UPDATE             STARTED              COMPLETED              ITEMS    TIME    BUSY  OUTCOME
                main      events_summary     2026-11-26 10:04:00  -                      1,200  1m 00s  950 ms  RUNNING
                main      events_kind_index  2026-11-26 09:03:21  2026-11-26 09:03:25        1   4.0 s   3.9 s  COMPLETE
                main      events_backfill    2026-11-26 09:00:00  2026-11-26 09:03:20  200,000  3m 20s    24 s  COMPLETE""",
                TABLES.history(runs, 0));
        assertEquals("""
                DATABASE  UPDATE          STARTED              COMPLETED  ITEMS    TIME    BUSY  OUTCOME
                main      events_summary  2026-11-26 10:04:00  -          1,200  1m 00s  950 ms  RUNNING
                (2 older not shown; -n 0 shows all)""", TABLES.history(runs, 1));
        assertEquals("no history", TABLES.history(List.of(), 20));
    }

    @Test
    public void controllersMarkTheActiveOne() {
        assertEquals("""
                ACTIVE  RANKING  SERVICE  BUNDLE                 TYPE
                *            10       42  io.bgupdate.ratelimit  io.bgupdate.ratelimit.internal.TokenBucketController
                              5       57  com.example.slow       com.example.SlowController
                              -        -  io.bgupdate.runner     io.bgupdate.runner.internal.DefaultController (built-in)""",
                TABLES.controllers(List.of(TOKEN_BUCKET, SLOW, DEFAULT)));
    }

    @Test
    public void doneLinesGiveTheNewState() {
        assertEquals("main: paused, now DISABLED\narchive: paused, now DISABLED",
                Tables.done("paused", List.of(new Status("main", RunnerState.DISABLED, "h1", Optional.of("h1"), Optional.of(BACKFILL), 0, 0,
                        OptionalDouble.empty(), QUEUE, TOKEN_BUCKET, List.of(), List.of()), PAUSED)));
    }

    @Test
    public void durations() {
        assertEquals("0 ms", Tables.duration(Duration.ofMillis(-5)));
        assertEquals("999 ms", Tables.duration(Duration.ofMillis(999)));
        assertEquals("1.0 s", Tables.duration(Duration.ofMillis(1000)));
        assertEquals("8.2 s", Tables.duration(Duration.ofMillis(8_213)));
        assertEquals("10 s", Tables.duration(Duration.ofMillis(10_000)));
        assertEquals("59 s", Tables.duration(Duration.ofMillis(59_999)));
        assertEquals("1m 05s", Tables.duration(Duration.ofSeconds(65)));
        assertEquals("59m 59s", Tables.duration(Duration.ofSeconds(3599)));
        assertEquals("2h 03m", Tables.duration(Duration.ofSeconds(2 * 3600 + 3 * 60 + 59)));
        assertEquals("3d 04h", Tables.duration(Duration.ofHours(76)));
        assertEquals("1m 05s (65,012 ms)", Tables.millis(65_012));
        assertEquals("950 ms", Tables.millis(950));
    }

    @Test
    public void numbers() {
        assertEquals("0", Tables.count(0));
        assertEquals("1,234,567", Tables.count(1_234_567));
        assertEquals("-", Tables.rate(OptionalDouble.empty()));
        assertEquals("0 items/ms", Tables.rate(OptionalDouble.of(0)));
        assertEquals("0.1 items/ms", Tables.rate(OptionalDouble.of(0.1)));
        assertEquals("0.000123 items/ms", Tables.rate(OptionalDouble.of(0.00012345)));
        assertEquals("9.76 items/ms", Tables.rate(OptionalDouble.of(9.7564)));
        assertEquals("1230 items/ms", Tables.rate(OptionalDouble.of(1234.5)));
        assertEquals("-", Tables.rate(OptionalDouble.of(Double.NaN)));
    }

    @Test
    public void barsAndPercentages() {
        assertEquals("[------------------------------]", Tables.bar(0));
        assertEquals("[###############---------------]", Tables.bar(0.5));
        assertEquals("[#############################-]", Tables.bar(0.999));
        assertEquals("[##############################]", Tables.bar(1));
        assertEquals("[##############################]", Tables.bar(1.5));
        assertEquals("  0.0%", Tables.percent(-1));
        assertEquals(" 40.0%", Tables.percent(0.4));
        assertEquals("100.0%", Tables.percent(1));
    }

    @Test
    public void tableAlignsColumnsAndKeepsCellsOnOneLine() {
        assertEquals("""
                NAME  >N  NOTE
                a      1  x y
                bbb   22""", new Table("NAME", ">>N", "NOTE").row("a", 1, "x\n\ty").row("bbb", 22, "").toString());
    }
}
