package io.bgupdate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;

import javax.inject.Inject;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.RunnerState;

/** The bgupdate Gogo commands, run through a real CommandProcessor session: their output and their effect. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ShellIT extends BgupdateTestSupport {

    @Inject
    private CommandProcessor processor;

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate(Felix.shell());
    }

    private String run(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true);
        try (CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), print, print)) {
            Object result = session.execute(command);
            return result == null ? out.toString() : session.format(result, 0).toString();
        }
    }

    @Test
    public void statusListHistoryAndControllersShowWhatRuns() throws Exception {
        noSleep();
        assertTrue(run("bgupdate:status"), run("bgupdate:status").contains("main  COMPLETE"));

        run("bgupdate:pause");
        assertEquals(RunnerState.DISABLED, status().state());
        Backfill backfill = Backfill.create(db, "items", 2000);
        handler("items_backfill", backfill);
        awaitStatus("queued", s -> s.queue().size() == 1);
        String list = run("bgupdate:list");
        assertTrue(list, list.lines().anyMatch(l -> l.startsWith("main") && l.contains("items_backfill") && l.contains("yes")));
        assertTrue(run("bgupdate:status main"), run("bgupdate:status main").contains("main  DISABLED"));

        controller(new Recorder("shell", 20), 7);
        String controllers = run("bgupdate:controllers");
        assertTrue(controllers, controllers.lines().anyMatch(l -> l.startsWith("*") && l.contains(" 7 ") && l.contains("Recorder")));
        assertTrue(controllers, controllers.contains("(built-in)"));

        run("bgupdate:resume main");
        awaitCompleted("items_backfill");
        String history = run("bgupdate:history");
        assertTrue(history, history.lines().anyMatch(l -> l.contains("items_backfill") && l.contains("2,000") && l.contains("COMPLETE")));
        String status = run("bgupdate:status");
        assertTrue(status, status.contains("main  COMPLETE"));
        assertTrue(status, status.contains("ranking 7"));
    }

    @Test
    public void startJobQueuesAgainAndBadInputIsOneLineAndChangesNothing() throws Exception {
        noSleep();
        handler("once", new Counting("once"));
        awaitCompleted("once");
        run("bgupdate:pause");

        IllegalArgumentException unknownUpdate = assertThrows(IllegalArgumentException.class, () -> run("bgupdate:start-job nope"));
        assertEquals("no handler is registered for update 'nope' on database main", unknownUpdate.getMessage());
        IllegalArgumentException unknownDb = assertThrows(IllegalArgumentException.class, () -> run("bgupdate:status nowhere"));
        assertFalse(unknownDb.getMessage().contains("\n"));
        assertTrue(unknownDb.getMessage(), unknownDb.getMessage().contains("unknown database 'nowhere'"));
        assertThrows(IllegalArgumentException.class, () -> run("bgupdate:pause nowhere"));
        assertTrue("nothing changed", status().queue().isEmpty());
        assertEquals(RunnerState.DISABLED, status().state());

        String queued = run("bgupdate:start-job once");
        assertTrue(queued, queued.contains("queued once again"));
        assertEquals(1, status().queue().size());
        assertThrows(IllegalArgumentException.class, () -> run("bgupdate:start-job once main"));
        run("bgupdate:resume");
        Await.until("once ran again", () -> updates.history(DB).size() == 2 && updates.hasCompleted("once", DB));
        assertEquals(List.of(), status().faults());
    }
}
