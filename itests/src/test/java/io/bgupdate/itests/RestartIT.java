package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/**
 * Scenarios 7 and 10: the framework stopped in the middle of an update and started again on the
 * same database file resumes where it was, processing every item exactly once; a pause survives
 * the restart.
 */
public class RestartIT {

    private static final String DB = BackgroundUpdates.DEFAULT_DATABASE;
    private static final String MAIN = "(" + BackgroundUpdates.DATABASE_NAME + "=" + DB + ")";

    @Test
    public void anUpdateStoppedMidwayResumesWhereItWasAfterARestart() throws Exception {
        String data = EmbeddedFelix.newDatabase();
        int rows = 50_000;
        long doneBeforeStop;
        try (EmbeddedFelix felix = new EmbeddedFelix(data)) {
            DataSource ds = felix.service(DataSource.class, MAIN);
            Backfill first = Backfill.create(ds, "items", rows);
            first.microsPerItem.set(100);
            register(felix.context(), first);
            Await.until("a few batches", () -> first.calls.size() >= 5);
        } // stopped in the middle
        try (EmbeddedFelix felix = new EmbeddedFelix(data)) {
            DataSource ds = felix.service(DataSource.class, MAIN);
            BackgroundUpdates updates = felix.service(BackgroundUpdates.class, null);
            long[] midway = Backfill.check(ds, "items");
            doneBeforeStop = midway[1];
            assertTrue("stopped midway: " + doneBeforeStop, doneBeforeStop > 0 && doneBeforeStop < rows);
            assertEquals("nothing processed twice before the stop", 0, midway[2]);
            assertEquals(RunnerState.NOT_STARTED, updates.status(DB).state());

            Backfill second = new Backfill("items");
            register(felix.context(), second);
            updates.whenCompleted("items_backfill", DB).toCompletableFuture().get(60, TimeUnit.SECONDS);

            assertEquals("resumed from the last committed batch", doneBeforeStop, second.calls.get(0).progress().getLong("last_id", 0));
            assertArrayEquals("every row exactly once", new long[] {rows, rows, 0}, Backfill.check(ds, "items"));
            List<UpdateRun> history = updates.history(DB);
            assertEquals(1, history.size());
            assertEquals("items of both runs of the host", rows, history.get(0).items());
            assertEquals(UpdateRun.Outcome.COMPLETE, history.get(0).outcome());
        }
    }

    @Test
    public void aPauseSurvivesARestart() throws Exception {
        String data = EmbeddedFelix.newDatabase();
        try (EmbeddedFelix felix = new EmbeddedFelix(data)) {
            BackgroundUpdates updates = felix.service(BackgroundUpdates.class, null);
            updates.pause(DB);
            assertEquals(RunnerState.DISABLED, updates.status(DB).state());
        }
        try (EmbeddedFelix felix = new EmbeddedFelix(data)) {
            BackgroundUpdates updates = felix.service(BackgroundUpdates.class, null);
            Counting counting = new Counting("after_restart");
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(UpdateProperties.NAME, "after_restart");
            felix.context().registerService(UpdateHandler.class, counting, props);
            Await.until("the update queued", () -> updates.status(DB).queue().size() == 1);
            assertEquals(RunnerState.DISABLED, updates.status(DB).state());
            Thread.sleep(Duration.ofSeconds(1).toMillis());
            assertEquals("nothing runs while paused", 0, counting.runs.get());

            updates.resume(DB);
            updates.whenCompleted("after_restart", DB).toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertEquals(1, counting.runs.get());
        }
    }

    private static void register(BundleContext context, Backfill backfill) {
        Hashtable<String, Object> controllerProps = new Hashtable<>();
        controllerProps.put(Constants.SERVICE_RANKING, 10);
        context.registerService(BackgroundUpdateController.class,
                (BackgroundUpdateController) (u, d, oneShot) -> () -> CompletableFuture.completedFuture(10L), controllerProps);
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(UpdateProperties.NAME, "items_backfill");
        context.registerService(UpdateHandler.class, backfill, props);
    }
}
