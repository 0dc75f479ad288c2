package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.handler.UpdateProperties;

/** Scenarios 8–10: ordering and dependencies, five failures and resume, start-job. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class QueueIT extends BgupdateTestSupport {

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate();
    }

    @Test
    public void dependsOnAndOrderingDecideTheOrder() throws Exception {
        noSleep();
        updates.pause(DB);
        List<String> log = new CopyOnWriteArrayList<>();
        handler("c", new Counting("c", 2, log), UpdateProperties.ORDERING, 0, UpdateProperties.DEPENDS_ON, "b");
        handler("a", new Counting("a", 2, log), UpdateProperties.ORDERING, 1);
        handler("b", new Counting("b", 2, log), UpdateProperties.ORDERING, 2);
        handler("d", new Counting("d", 2, log), UpdateProperties.ORDERING, 0);
        awaitStatus("all four queued", s -> s.queue().size() == 4);
        assertEquals(List.of("c", "d", "a", "b"), status().queue().stream().map(QueuedUpdate::name).toList());
        assertEquals(RunnerState.DISABLED, status().state());
        assertTrue("nothing ran while paused", log.isEmpty());

        updates.resume(DB);
        awaitCompleted("c");

        assertEquals("each update runs to completion before the next; c waits for b",
                List.of("d", "d", "a", "a", "b", "b", "c", "c"), log);
    }

    @Test
    public void aDependencyCycleIsReportedAndTheRestStillRuns() throws Exception {
        noSleep();
        Counting x = new Counting("x");
        Counting y = new Counting("y");
        handler("x", x, UpdateProperties.DEPENDS_ON, "y");
        awaitStatus("x waits for y, which never ran", s -> s.errors().stream().anyMatch(e -> e.contains("x waits for y")));
        handler("y", y, UpdateProperties.DEPENDS_ON, "x");
        awaitStatus("the cycle reported", s -> s.errors().stream().anyMatch(e -> e.startsWith("dependency cycle")));
        assertEquals(RunnerState.NOT_STARTED, status().state());

        handler("z", new Counting("z"));
        awaitCompleted("z");
        awaitStatus("the cycle still reported", s -> s.errors().stream().anyMatch(e -> e.contains("x -> y, y -> x")));
        assertEquals(0, x.runs.get() + y.runs.get());
    }

    @Test
    public void aQueuedUpdateWithoutHandlerIsReported() throws Exception {
        noSleep();
        var reg = handler("orphan", new Counting("orphan", 1000, new CopyOnWriteArrayList<>()));
        awaitStatus("orphan running", s -> s.current().isPresent());
        assertTrue("a running update has no completion time yet", updates.history(DB).get(0).completed().isEmpty());
        assertEquals(UpdateRun.Outcome.RUNNING, updates.history(DB).get(0).outcome());
        updates.pause(DB);
        reg.unregister();
        updates.resume(DB);
        awaitStatus("the missing handler reported", s -> s.errors().stream().anyMatch(e -> e.contains("orphan")));
        assertFalse(status().queue().get(0).hasHandler());
    }

    @Test
    public void fiveFailuresInARowAbortUntilResumed() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "retry_backoff_ms", 20L));
        Backfill backfill = Backfill.create(db, "items", 1000);
        backfill.failNext.set(5);
        handler("items_backfill", backfill);

        awaitStatus("ABORTED", s -> s.state() == RunnerState.ABORTED);
        assertTrue(status().errors().toString(), status().errors().stream().anyMatch(e -> e.contains("planned failure") && e.contains("5 in a row")));
        pauseFor(Duration.ofMillis(500));
        assertEquals("nothing runs while aborted", 0, backfill.calls.size());
        assertEquals(RunnerState.ABORTED, status().state());

        updates.resume(DB);
        awaitCompleted("items_backfill");
        assertArrayEquals(new long[] {1000, 1000, 0}, Backfill.check(db, "items"));
        assertTrue(status().errors().isEmpty());
    }

    @Test
    public void aHandlerThatCommitsTheBatchsConnectionIsRefusedAndNothingIsCommitted() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "retry_backoff_ms", 20L));
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE marks (x INT)");
        }
        handler("commits_itself", batch -> {
            try (Statement s = batch.connection().createStatement()) {
                s.executeUpdate("INSERT INTO marks VALUES (1)");
            }
            batch.connection().commit();
            batch.complete();
            return 1;
        });
        awaitStatus("ABORTED", s -> s.state() == RunnerState.ABORTED);
        assertTrue(status().errors().toString(), status().errors().stream()
                .anyMatch(e -> e.contains("must not call commit") && e.contains("never commit, roll back or close it")));
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM marks")) {
            rs.next();
            assertEquals("the refused commit committed nothing", 0, rs.getInt(1));
        }
    }

    @Test
    public void startJobQueuesACompletedUpdateAgainAndRefusesBadNames() throws Exception {
        noSleep();
        Counting once = new Counting("once");
        handler("once", once);
        awaitCompleted("once");
        assertEquals(1, once.runs.get());

        assertEquals("no handler is registered for update 'nope' on database main",
                assertThrows(IllegalArgumentException.class, () -> updates.startJob("nope", DB)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> updates.startJob("once", "nodb"));

        updates.pause(DB);
        updates.startJob("once", DB);
        assertFalse(updates.hasCompleted("once", DB));
        assertEquals("update 'once' is already queued on database main",
                assertThrows(IllegalArgumentException.class, () -> updates.startJob("once", DB)).getMessage());
        assertEquals(1, status().queue().size());

        updates.resume(DB);
        awaitCompleted("once");
        assertEquals(2, once.runs.get());
        assertEquals(2, updates.history(DB).size());
    }
}
