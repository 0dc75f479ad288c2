package io.bgupdate.runner.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.handler.Progress;

public class UpdateQueueTest {

    private static QueuedUpdate u(String name, int ordering, String dependsOn) {
        return new StatusRecords.Queued(name, ordering, Optional.ofNullable(dependsOn), Progress.empty(), true);
    }

    private static String next(QueuedUpdate... queue) {
        return UpdateQueue.choose(List.of(queue), "done"::equals).next().map(QueuedUpdate::name).orElse(null);
    }

    @Test
    public void orderingThenNameDecide() {
        assertEquals("b", next(u("c", 0, null), u("b", 0, null), u("a", 1, null)));
        assertEquals("z", next(u("a", 5, null), u("z", -1, null)));
    }

    @Test
    public void anUpdateWaitsForItsDependencyWhileThatIsQueued() {
        assertEquals("b", next(u("a", 0, "b"), u("b", 1, null)));
        assertEquals("a", next(u("a", 0, "done"), u("b", 1, null)));
    }

    @Test
    public void aDependencyThatNeverRanIsWaitedForAndReported() {
        UpdateQueue.Choice c = UpdateQueue.choose(List.of(u("a", 0, "later"), u("b", 1, null)), n -> false);
        assertEquals(Optional.of("b"), c.next().map(QueuedUpdate::name));
        assertEquals("update a waits for later, which is neither queued nor completed", c.errors().get(0));
    }

    @Test
    public void aCycleIsReportedNotRun() {
        UpdateQueue.Choice c = UpdateQueue.choose(List.of(u("a", 0, "b"), u("b", 0, "a")), n -> false);
        assertFalse(c.next().isPresent());
        assertEquals(1, c.errors().size());
        assertTrue(c.errors().get(0), c.errors().get(0).startsWith("dependency cycle"));
    }

    @Test
    public void anUpdateWithoutHandlerIsPassedOverAndReported() {
        QueuedUpdate orphan = new StatusRecords.Queued("a", 0, Optional.empty(), Progress.empty(), false);
        UpdateQueue.Choice c = UpdateQueue.choose(List.of(orphan, u("b", 1, null), u("c", 2, "a")), n -> false);
        assertEquals(Optional.of("b"), c.next().map(QueuedUpdate::name));
        assertTrue(c.errors().get(0).contains("no handler"));
    }

    @Test
    public void anEmptyQueueHasNothingAndNoError() {
        UpdateQueue.Choice c = UpdateQueue.choose(List.of(), n -> false);
        assertFalse(c.next().isPresent());
        assertTrue(c.errors().isEmpty());
    }
}
