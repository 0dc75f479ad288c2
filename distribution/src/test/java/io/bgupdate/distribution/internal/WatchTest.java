package io.bgupdate.distribution.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.junit.Test;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.ControllerFault;
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.handler.Progress;

public class WatchTest {

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

    record Controller(String type, String bundle, long serviceId, int ranking, boolean builtIn, boolean active) implements ControllerInfo {
    }

    private static final ControllerInfo DEFAULT = new Controller("Default", "io.bgupdate.runner", 0, 0, true, true);

    /** A runner as the watcher sees it. */
    private static final class FakeUpdates implements BackgroundUpdates {
        final Map<String, DatabaseStatus> status = new HashMap<>();
        final Set<String> completed = new HashSet<>();

        @Override
        public List<String> databases() {
            return status.keySet().stream().sorted().toList();
        }

        @Override
        public DatabaseStatus status(String db) {
            return status.get(db);
        }

        @Override
        public boolean hasCompleted(String name, String db) {
            return completed.contains(name);
        }

        @Override
        public List<UpdateRun> history(String db) {
            return List.of();
        }

        @Override
        public List<ControllerInfo> controllers() {
            return List.of(DEFAULT);
        }

        @Override
        public void pause(String db) {
        }

        @Override
        public void resume(String db) {
        }

        @Override
        public void startJob(String name, String db) {
        }

        @Override
        public CompletionStage<Void> whenCompleted(String name, String db) {
            throw new UnsupportedOperationException();
        }
    }

    private static DatabaseStatus status(String db, RunnerState state, Optional<CurrentUpdate> current, int queued, String... errors) {
        List<QueuedUpdate> queue = new java.util.ArrayList<>();
        for (int i = 0; i < queued; i++) {
            queue.add(new Queued("u" + i, 0, Optional.empty(), Progress.empty(), true));
        }
        return new Status(db, state, "host-1", Optional.of("host-1"), current, 0, 0, OptionalDouble.empty(), queue, DEFAULT, List.of(), List.of(errors));
    }

    @Test
    public void runningShowsProgressAndEta() {
        FakeUpdates u = new FakeUpdates();
        CurrentUpdate c = new Current("events_sender_domain_backfill", Instant.EPOCH, 84_000, 900, 12, 9_500,
                Progress.empty().with("last_id", 84_000), OptionalLong.of(116_000), Optional.of(Duration.ofSeconds(75)));
        u.status.put("main", status("main", RunnerState.RUNNING, Optional.of(c), 4));
        Watch w = Watch.look(u, db -> Set.of(), false);
        assertEquals(List.of("main RUNNING events_sender_domain_backfill  42% 84,000/200,000 ETA 1m15s (batch 9,500), 4 queued"), w.lines());
        assertFalse(w.exitCode().isPresent());
    }

    @Test
    public void completeOnlyWhenEveryRegisteredUpdateHasCompleted() {
        FakeUpdates u = new FakeUpdates();
        u.status.put("main", status("main", RunnerState.COMPLETE, Optional.empty(), 0));
        // The runner has not queued a handler registered a moment ago: not done.
        Watch w = Watch.look(u, db -> Set.of("a", "b"), false);
        assertEquals(OptionalInt.empty(), w.exitCode());
        assertEquals(List.of("main COMPLETE, not yet queued: a b"), w.lines());
        u.completed.addAll(Set.of("a", "b"));
        assertEquals(OptionalInt.of(0), Watch.look(u, db -> Set.of("a", "b"), false).exitCode());
    }

    @Test
    public void nothingIsDecidedWhileTheHostStarts() {
        FakeUpdates u = new FakeUpdates();
        u.status.put("main", status("main", RunnerState.COMPLETE, Optional.empty(), 0));
        Watch w = Watch.look(u, db -> Set.of(), true);
        assertEquals(OptionalInt.empty(), w.exitCode());
        assertEquals(List.of("main COMPLETE (host starting)"), w.lines());
        u.status.put("main", status("main", RunnerState.ABORTED, Optional.empty(), 1, "boom"));
        assertEquals(OptionalInt.of(2), Watch.look(u, db -> Set.of(), true).exitCode());
    }

    @Test
    public void everyDatabaseMustBeComplete() {
        FakeUpdates u = new FakeUpdates();
        u.status.put("a", status("a", RunnerState.COMPLETE, Optional.empty(), 0));
        u.status.put("b", status("b", RunnerState.NOT_STARTED, Optional.empty(), 2));
        Watch w = Watch.look(u, db -> Set.of(), false);
        assertFalse(w.exitCode().isPresent());
        assertEquals(List.of("a COMPLETE", "b NOT_STARTED, 2 queued"), w.lines());
    }

    @Test
    public void abortedEndsTheRunWithItsErrors() {
        FakeUpdates u = new FakeUpdates();
        u.status.put("main", status("main", RunnerState.ABORTED, Optional.empty(), 1, "update x failed (5 in a row): boom; SQL statement:\nUPDATE t"));
        Watch w = Watch.look(u, db -> Set.of(), false);
        assertEquals(OptionalInt.of(2), w.exitCode());
        assertEquals(List.of("main ABORTED: update x failed (5 in a row): boom; SQL statement: UPDATE t"), w.lines());
    }

    @Test
    public void pausedSaysHowToGoOn() {
        FakeUpdates u = new FakeUpdates();
        u.status.put("main", status("main", RunnerState.DISABLED, Optional.empty(), 3));
        assertEquals(List.of("main DISABLED (paused: bgupdate:resume main to go on), 3 queued"), Watch.look(u, db -> Set.of(), false).lines());
    }

    @Test
    public void noDatabaseIsNotDone() {
        Watch w = Watch.look(new FakeUpdates(), db -> Set.of(), false);
        assertFalse(w.exitCode().isPresent());
        assertTrue(w.lines().get(0).contains("no database"));
    }

    @Test
    public void durations() {
        assertEquals("0s", Watch.duration(Duration.ZERO));
        assertEquals("59s", Watch.duration(Duration.ofSeconds(59)));
        assertEquals("3m05s", Watch.duration(Duration.ofSeconds(185)));
        assertEquals("2h10m", Watch.duration(Duration.ofMinutes(130)));
    }
}
