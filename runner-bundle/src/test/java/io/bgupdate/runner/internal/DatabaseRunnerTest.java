package io.bgupdate.runner.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

import io.bgupdate.api.RunnerState;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;
import io.bgupdate.testkit.FaultyDataSource;
import io.bgupdate.testkit.FaultyDataSource.Call;
import io.bgupdate.testkit.Increment;

/** A whole runner (thread, pipeline, lease, status) on a real H2 database behind the fault-injection kit. */
public class DatabaseRunnerTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final int ROWS = 60;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final Settings settings = new Settings(0, false, 0, 1, 10, 1);
    private final Controllers controllers = new Controllers(new DefaultController(() -> settings, timer), "runner");
    private final Handlers handlers = new Handlers();
    private JdbcDataSource h2;
    private FaultyDataSource db;
    private Increment increment;
    private DatabaseRunner runner;

    @Before
    public void start() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:runner" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        db = new FaultyDataSource(h2);
        increment = Increment.create(h2, "items", ROWS);
        runner = new DatabaseRunner("main", "test-host", db, controllers, handlers, () -> settings);
    }

    @After
    public void stop() {
        db.plan(FaultyDataSource.NONE);
        runner.stop();
        timer.shutdownNow();
    }

    private void register(String name, UpdateHandler handler) {
        handlers.add(new TestRef(Map.of(UpdateProperties.NAME, name)), handler);
        runner.handlersChanged();
    }

    private void awaitCompleted(String name) throws Exception {
        try {
            runner.whenCompleted(name).toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            fail(name + " did not complete; status: " + runner.status());
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    public void anErrorThrownByAHandlerNeitherCommitsItsWorkNorStopsTheRunner() throws Exception {
        AtomicInteger errors = new AtomicInteger(3);
        AtomicReference<String> seen = new AtomicReference<>();
        increment.afterWork = () -> {
            if (errors.getAndDecrement() > 0) {
                seen.compareAndSet(null, "thrown");
                throw new NoClassDefFoundError("planned: the handler's bundle is being updated");
            }
        };
        runner.start();
        register("inc", increment);
        await("the errors", () -> errors.get() < 0);
        awaitCompleted("inc");
        assertArrayEquals("every row exactly once", new long[] {ROWS, ROWS, 0}, Increment.check(h2, "items"));
        assertEquals(RunnerState.COMPLETE, runner.status().state());
    }

    @Test
    public void aHandlerNameTheQueueCannotHoldIsRefusedAloneAndNamed() throws Exception {
        String longName = "x".repeat(300);
        runner.start();
        register(longName, new Increment("nothing"));
        register("inc", increment);
        awaitCompleted("inc");
        assertArrayEquals(new long[] {ROWS, ROWS, 0}, Increment.check(h2, "items"));
        String errors = runner.status().errors().toString();
        assertTrue(errors, errors.contains("update " + "x".repeat(60)) && errors.contains("refused") && errors.contains("300 characters"));
    }

    @Test
    public void aNewHandlerIsQueuedEvenWhenTheDatabaseFailsWhileQueueingIt() throws Exception {
        db.plan(FaultyDataSource.sql("INSERT INTO background_updates", 1,
                new SQLTransientConnectionException("planned: connection lost while queueing", "08006")));
        runner.start();
        register("inc", increment);
        awaitCompleted("inc");
        assertEquals(1, db.injected());
        assertArrayEquals(new long[] {ROWS, ROWS, 0}, Increment.check(h2, "items"));
    }

    @Test
    public void failedCommitsAreDatabaseFailuresNeverHandlerFailures() throws Exception {
        db.plan(FaultyDataSource.first(Call.COMMIT, 2 * RunnerThread.MAX_FAILURES, new SQLException("planned: No space left on device", "HY000")));
        runner.start();
        register("inc", increment);
        awaitCompleted("inc");
        assertEquals(2 * RunnerThread.MAX_FAILURES, db.injected());
        assertEquals("not ABORTED", RunnerState.COMPLETE, runner.status().state());
        assertArrayEquals(new long[] {ROWS, ROWS, 0}, Increment.check(h2, "items"));
    }

    @Test
    public void theTablesAreCreatedAgainAfterAReconnect() throws Exception {
        runner.start();
        register("inc", increment);
        awaitCompleted("inc");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) { // as H2 reopening an older file after a full disk
            s.execute("DROP TABLE background_updates");
            s.execute("DROP TABLE bgupdate_history");
            s.execute("DROP TABLE bgupdate_state");
        }
        db.plan(FaultyDataSource.first(Call.EXECUTE, 1, new SQLTransientConnectionException("planned: the database closed", "08006")));
        runner.handlersChanged();
        await("the update queued and completed again", () -> completedRuns() == 1);
        assertEquals(RunnerState.COMPLETE, runner.status().state());
    }

    private long completedRuns() {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM bgupdate_history WHERE outcome = 'COMPLETE'")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    @Test
    public void stopEndsTheThreadAndTheSessionEvenIfTheHandlerIgnoresInterrupts() throws Exception {
        AtomicReference<Connection> stuckOn = new AtomicReference<>();
        runner.start();
        register("stuck", batch -> {
            Connection c = batch.connection();
            stuckOn.set(c);
            while (!c.isClosed()) { // as a handler blocked in a JDBC call that ignores interrupts
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ignored) {
                    // ignored, as such a handler does
                }
            }
            throw new SQLException("the connection was closed");
        });
        await("the handler stuck", () -> stuckOn.get() != null);
        assertTrue("the runner's thread ended", runner.stop());
        assertTrue("the session is closed", stuckOn.get().isClosed());
        assertFalse(Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("bgupdate-runner-main")));
    }

    @Test
    public void updatesRegisteredAFewMillisecondsApartRunInTheirOrdering() throws Exception {
        java.util.List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        runner.start();
        Thread.sleep(RunnerThread.SETTLE_MILLIS); // the runner is idle, as after a start without handlers
        for (String[] u : new String[][] {{"second", "1"}, {"first", "0"}}) {
            handlers.add(new TestRef(Map.of(UpdateProperties.NAME, u[0], UpdateProperties.ORDERING, Integer.valueOf(u[1]))), batch -> {
                ran.add(batch.updateName());
                batch.complete();
                return 0;
            });
            runner.handlersChanged();
            await(u[0] + " queued, a few ms ago", () -> runner.status().queue().stream().anyMatch(q -> q.name().equals(u[0])));
        }
        awaitCompleted("first");
        awaitCompleted("second");
        assertEquals(java.util.List.of("first", "second"), ran);
    }

    @Test
    public void afterAnOutageTheNextBatchComesWithinSecondsWhateverTheHandlersBackOff() throws Exception {
        Settings slowRetries = new Settings(0, false, 0, 1, 1, 60_000); // a failing handler would wait a minute
        runner = new DatabaseRunner("main", "test-host", db, controllers, handlers, () -> slowRetries);
        java.util.List<Long> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        increment.afterWork = () -> batches.add(System.nanoTime());
        runner.start();
        register("inc", increment);
        await("some batches", () -> batches.size() > 3);
        SQLTransientConnectionException down = new SQLTransientConnectionException("planned: the database is down", "08001");
        db.plan((call, sql) -> down);
        Thread.sleep(10_000);
        int before = batches.size();
        db.plan(FaultyDataSource.NONE);
        long back = System.nanoTime();
        await("a batch after the outage", () -> batches.size() > before);
        long millis = TimeUnit.NANOSECONDS.toMillis(batches.get(before) - back);
        System.out.println("database back to next batch after a 10 s outage: " + millis + " ms (" + db.injected() + " faults)");
        assertTrue(millis + " ms", millis <= 5_000);
        // The outage is no handler failure: never ABORTED (COMPLETE too when the batches after it finished the table).
        RunnerState state = runner.status().state();
        assertTrue(state.toString(), state == RunnerState.RUNNING || state == RunnerState.COMPLETE);
    }

    @Test
    public void theStatusIsNeverCompleteBeforeTheRegisteredUpdatesAreQueued() throws Exception {
        db.plan(FaultyDataSource.sql("INSERT INTO background_updates", Integer.MAX_VALUE,
                new SQLTransientConnectionException("planned: connection lost while queueing", "08006")));
        runner.start();
        register("inc", increment);
        await("a failed attempt to queue", () -> db.injected() >= 2);
        var status = runner.status();
        assertTrue(status.toString(), status.queue().isEmpty());
        assertEquals(status.toString(), RunnerState.NOT_STARTED, status.state());
        assertTrue(status.toString(), status.errors().stream().anyMatch(e -> e.contains("database unavailable")));
    }
}
