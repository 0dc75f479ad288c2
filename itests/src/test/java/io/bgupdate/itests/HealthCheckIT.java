package io.bgupdate.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.handler.UpdateHandler;

/** The bgupdate health check, run by Felix Health Checks' own executor: OK, WARN and CRITICAL, and why. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HealthCheckIT extends BgupdateTestSupport {

    /** Felix Health Checks 2.3.0 with what its core imports, and the bgupdate health check. */
    static Option healthCheckBundles() {
        return composite(List.of("org.apache.felix.eventadmin", "jakarta.servlet-api", "org.osgi.service.servlet",
                "org.apache.felix.healthcheck.api", "org.apache.felix.healthcheck.core", "bgupdate-healthcheck").stream()
                .map(b -> bundle(Felix.bundleFile(b).toUri().toString())).toArray(Option[]::new));
    }

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate(healthCheckBundles());
    }

    @Inject
    HealthCheckExecutor executor;

    /** @return the result of the one health check tagged bgupdate, executed now (not from the executor's cache) */
    private Result check(String... tags) {
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags(tags),
                new HealthCheckExecutionOptions().setForceInstantExecution(true));
        assertEquals("one health check tagged " + String.join(",", tags) + ": " + results, 1, results.size());
        assertEquals("Background updates", results.get(0).getHealthCheckMetadata().getName());
        return results.get(0).getHealthCheckResult();
    }

    private static String text(Result r) {
        return StreamSupport.stream(r.spliterator(), false).map(e -> e.getStatus() + " " + e.getMessage()).collect(Collectors.joining("\n"));
    }

    private void awaitCheck(String what, Result.Status status, String message) {
        Result[] last = new Result[1];
        Await.until(what, Await.LONG, () -> {
            last[0] = check("bgupdate");
            return last[0].getStatus() == status && text(last[0]).contains(message);
        }, () -> "; health check: " + (last[0] == null ? "none" : last[0].getStatus() + "\n" + text(last[0])) + "\nstatus: " + status());
    }

    @Test
    public void okWhileRunningAndCompleteWarnWhenPausedCriticalWhenAborted() throws Exception {
        awaitCheck("OK on an empty queue", Result.Status.OK, "OK main: COMPLETE, controller DefaultController (io.bgupdate.runner)");

        configureRunner(Map.of("sleep_enabled", false, "retry_backoff_ms", 20L));
        Backfill backfill = Backfill.create(db, "items", 100_000);
        backfill.microsPerItem.set(20);
        handler("items_backfill", backfill);
        awaitStatus("running", s -> s.state() == RunnerState.RUNNING && s.current().isPresent());
        awaitCheck("OK while running", Result.Status.OK, "OK main: RUNNING, update items_backfill (");

        updates.pause(DB);
        awaitCheck("WARN while paused", Result.Status.WARN, "WARN main: paused by an operator (DISABLED)");

        backfill.failNext.set(1_000);
        updates.resume(DB);
        awaitStatus("ABORTED", s -> s.state() == RunnerState.ABORTED);
        awaitCheck("CRITICAL when aborted", Result.Status.CRITICAL,
                "CRITICAL main: ABORTED after repeated handler failures, until an operator resumes it (bgupdate:resume): update items_backfill failed (5 in a row)");
        assertTrue(text(check("bgupdate")), text(check("bgupdate")).contains("planned failure of items"));

        backfill.failNext.set(0);
        updates.resume(DB);
        awaitCheck("OK again once resumed", Result.Status.OK, "OK main: RUNNING");
    }

    @Test
    public void criticalWhenADatabaseCannotBeReachedNamingIt() throws Exception {
        FlakyDatabase flaky = new FlakyDatabase(context);
        context.registerService(DataSource.class, flaky.dataSource, new Hashtable<>(Map.of(BackgroundUpdates.DATABASE_NAME, "flaky")));
        Await.until("the runner serves flaky", () -> updates.databases().contains("flaky"));
        awaitCheck("OK on both", Result.Status.OK, "OK flaky: COMPLETE");

        flaky.down.set(true);
        awaitCheck("CRITICAL for flaky", Result.Status.CRITICAL, "CRITICAL flaky: the database cannot be reached: database flaky unavailable: planned: connection refused");
        Result r = check("bgupdate");
        assertTrue(text(r), text(r).contains("OK main: COMPLETE"));
        assertTrue("only flaky is named as a problem: " + text(r), StreamSupport.stream(r.spliterator(), false)
                .filter(e -> e.getStatus() != Result.Status.OK).allMatch(e -> e.getMessage().startsWith("flaky: ")));

        flaky.down.set(false);
        awaitCheck("OK once flaky is back", Result.Status.OK, "OK flaky: COMPLETE");
    }

    @Test
    public void warnWhenTheCurrentUpdateMakesNoProgressAndConfiguredTags() throws Exception {
        configAdmin.getConfiguration("io.bgupdate.healthcheck", "?")
                .update(new Hashtable<>(Map.of("stall_seconds", 2L, "tags", new String[] {"lb", "monitoring"})));
        Await.until("the health check tagged lb", () -> !executor.execute(HealthCheckSelector.tags("lb")).isEmpty());
        assertEquals(Result.Status.OK, check("lb", "monitoring").getStatus());

        noSleep();
        CountDownLatch release = new CountDownLatch(1);
        UpdateHandler stuck = batch -> {
            if (batch.progress().getLong("done", 0) == 0) { // one batch of one item, then
                batch.saveProgress(batch.progress().with("done", 1));
                return 1;
            }
            release.await(Await.LONG.toSeconds(), TimeUnit.SECONDS); // a batch that hangs, say on a lock
            batch.complete();
            return 1;
        };
        try {
            handler("stuck_update", stuck);
            awaitStatus("stuck_update current", s -> s.current().filter(c -> c.items() == 1).isPresent());
            awaitCheck("WARN: no progress", Result.Status.WARN, "WARN main: update stuck_update has made no progress for ");
            assertTrue(text(check("bgupdate")), text(check("bgupdate")).contains("although not paused (1 items done; controller DefaultController (io.bgupdate.runner))"));
        } finally {
            release.countDown();
        }
        awaitCompleted("stuck_update");
        awaitCheck("OK when it completed", Result.Status.OK, "OK main: COMPLETE");
    }
}
