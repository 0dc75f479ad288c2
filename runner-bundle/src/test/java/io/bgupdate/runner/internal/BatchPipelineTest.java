package io.bgupdate.runner.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.Constants;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;
import io.bgupdate.runner.internal.BatchPipeline.Kind;
import io.bgupdate.testkit.FaultyDataSource;
import io.bgupdate.testkit.FaultyDataSource.Call;
import io.bgupdate.testkit.Increment;

/** The batch pipeline on its own, on a real H2 database behind the fault-injection kit. */
public class BatchPipelineTest {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final int ROWS = 100;

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Settings settings = new Settings(0, false, 0, 1, 10, 1);
    private final Controllers controllers = new Controllers(new DefaultController(() -> settings, timer), "runner");
    private final Faults faults = new Faults("main");
    private final Signals signals = new Signals();
    private final List<BatchResult> exits = new CopyOnWriteArrayList<>();
    private JdbcDataSource h2;
    private FaultyDataSource db;
    private BatchPipeline pipeline;
    private Increment handler;
    private Session session;
    private CurrentRun run;

    @Before
    public void database() throws SQLException {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:pipeline" + DATABASES.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        db = new FaultyDataSource(h2);
        handler = Increment.create(h2, "items", ROWS);
        pipeline = new BatchPipeline("main", db, controllers, new ControllerCalls("main", controllers, faults), () -> settings, signals);
        session = Session.open(db, "main", "test");
        session.store.enqueue(session.connection, "inc", 0, Optional.empty(), true);
        run = new CurrentRun("inc", session.store.openRun(session.connection, "inc", Instant.now()));
    }

    @After
    public void close() {
        db.plan(FaultyDataSource.NONE);
        session.close();
        timer.shutdownNow();
    }

    private BatchPipeline.Outcome batch() throws SQLException {
        run.at(session.store.queue(session.connection).get(0));
        return pipeline.run(session, run, handler, 0, signals.changes());
    }

    /** Registers a controller ranked 10 whose iterations record their exits; {@code fault} may replace its callbacks. */
    private TestRef controller(BackgroundUpdateController c) {
        TestRef ref = new TestRef(Map.of(Constants.SERVICE_RANKING, 10));
        controllers.add(ref, c);
        return ref;
    }

    private BackgroundUpdateController recording(Runnable onUpdate, Iteration enter, Runnable exit) {
        return new BackgroundUpdateController() {
            @Override
            public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
                onUpdate.run();
                return new Iteration() {
                    @Override
                    public CompletionStage<Long> enter() {
                        return enter.enter();
                    }

                    @Override
                    public void exit(BatchResult result) {
                        exits.add(result);
                        exit.run();
                    }
                };
            }

            @Override
            public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
                return CompletableFuture.completedFuture(OptionalInt.of(10));
            }
        };
    }

    private BackgroundUpdateController recording() {
        return recording(() -> { }, () -> CompletableFuture.completedFuture(0L), () -> { });
    }

    private long[] rows() throws SQLException {
        return Increment.check(h2, "items");
    }

    private String savedProgress() throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT progress_json FROM background_updates")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @Test
    public void aBatchCommitsTheHandlersWorkWithItsProgressAndExitsOnce() throws SQLException {
        controller(recording());
        BatchPipeline.Outcome outcome = batch();
        assertEquals(Kind.COMMITTED, outcome.kind());
        assertArrayEquals(new long[] {ROWS, 10, 0}, rows());
        assertEquals("{\"last_id\":10}", savedProgress());
        assertEquals(1, exits.size());
        assertEquals(BatchResult.Outcome.COMPLETED, exits.get(0).outcome());
        assertTrue("auto-commit is back on", session.connection.getAutoCommit());
    }

    @Test
    public void aBatchIsTimedFromTheHandlerCallToItsCommitBothIncluded() throws SQLException {
        controller(recording());
        long commitMillis = 300;
        db.plan((call, sql) -> {
            if (call == FaultyDataSource.Call.COMMIT) {
                try {
                    Thread.sleep(commitMillis); // a slow commit, as a synchronous replica or a busy disk gives
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return null;
        });
        BatchPipeline.Outcome outcome = batch();
        assertEquals(Kind.COMMITTED, outcome.kind());
        assertEquals(1, exits.size());
        assertTrue("the controller's exit sees the commit's time: " + exits.get(0).duration(),
                exits.get(0).duration().toMillis() >= commitMillis);
        assertTrue("so does the result the runner records for sizing, status and history: " + outcome.result().duration(),
                outcome.result().duration().toMillis() >= commitMillis);
    }

    @Test
    public void anErrorThrownByTheHandlerAfterItsWorkCommitsNothingAndTheIterationIsExited() throws SQLException {
        controller(recording());
        handler.afterWork = () -> {
            throw new NoClassDefFoundError("planned: the handler's bundle was updated");
        };
        BatchPipeline.Outcome outcome = batch();
        assertEquals(Kind.HANDLER_FAILED, outcome.kind());
        assertArrayEquals("nothing committed", new long[] {ROWS, 0, 0}, rows());
        assertEquals("{}", savedProgress());
        assertEquals(List.of(BatchResult.Outcome.FAILED), exits.stream().map(BatchResult::outcome).toList());
        assertTrue(outcome.result().failure().orElseThrow() instanceof NoClassDefFoundError);
        assertTrue("auto-commit is back on, with nothing open", session.connection.getAutoCommit());
        handler.afterWork = () -> { };
        assertEquals(Kind.COMMITTED, batch().kind());
    }

    @Test
    public void aRollbackThatFailsNeverCommitsTheSessionIsAbortedInstead() throws SQLException {
        handler.afterWork = () -> {
            throw new IllegalStateException("planned");
        };
        db.plan(FaultyDataSource.always(Call.ROLLBACK, new SQLException("planned: rollback fails")));
        assertEquals(Kind.HANDLER_FAILED, batch().kind());
        assertTrue("the session is aborted", session.connection.isClosed());
        assertArrayEquals("nothing committed", new long[] {ROWS, 0, 0}, rows());
        assertEquals("{}", savedProgress());
    }

    @Test
    public void aFailedCommitIsADatabaseFailureNotTheHandlersAndNothingIsApplied() throws SQLException {
        db.plan(FaultyDataSource.nth(Call.COMMIT, 1, new SQLException("planned: the disk is full", "HY000")));
        BatchPipeline.Outcome outcome = batch();
        assertEquals(Kind.DATABASE_FAILED, outcome.kind());
        assertArrayEquals(new long[] {ROWS, 0, 0}, rows());
        assertEquals("{}", savedProgress());
        assertEquals(Kind.COMMITTED, batch().kind());
        assertArrayEquals(new long[] {ROWS, 10, 0}, rows());
    }

    @Test
    public void aBatchStartedFromAStaleProgressIsNeverAppliedTwice() throws SQLException {
        db.plan(FaultyDataSource.nth(Call.COMMIT_REPLY, 1, new SQLException("planned: the commit's reply is lost", "08006")));
        run.at(session.store.queue(session.connection).get(0));
        assertEquals(Kind.DATABASE_FAILED, pipeline.run(session, run, handler, 0, signals.changes()).kind());
        assertArrayEquals("the commit happened", new long[] {ROWS, 10, 0}, rows());
        session.close(); // as the runner does after a database failure
        session = Session.open(db, "main", "test");
        run.at(new Store.Queued("inc", 0, Optional.empty(), io.bgupdate.api.handler.Progress.empty(), "{}")); // as read before
        BatchPipeline.Outcome again = pipeline.run(session, run, handler, 0, signals.changes());
        assertEquals(Kind.DATABASE_FAILED, again.kind());
        assertTrue(again.cause().orElseThrow().getMessage(), again.cause().orElseThrow().getMessage().contains("changed"));
        assertArrayEquals("not applied twice", new long[] {ROWS, 10, 0}, rows());
        assertEquals(Kind.COMMITTED, batch().kind());
        assertArrayEquals(new long[] {ROWS, 20, 0}, rows());
    }

    @Test
    public void aQueueRowWrittenWithOtherSpacingStillMatches() throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("UPDATE background_updates SET progress_json = '{ \"last_id\" : 0 }'");
        }
        assertEquals(Kind.COMMITTED, batch().kind());
        assertEquals(Kind.COMMITTED, batch().kind());
        assertArrayEquals(new long[] {ROWS, 20, 0}, rows());
    }

    @Test
    public void controllerErrorsFallBackToTheDefaultAndEveryIterationIsExited() throws SQLException {
        TestRef first = controller(recording(() -> {
            throw new LinkageError("planned: onUpdate");
        }, () -> CompletableFuture.completedFuture(0L), () -> { }));
        assertEquals(Kind.COMMITTED, batch().kind());
        controllers.remove(first);
        TestRef second = controller(recording(() -> { }, () -> {
            throw new NoClassDefFoundError("planned: enter");
        }, () -> { }));
        assertEquals(Kind.COMMITTED, batch().kind());
        assertEquals("the failed iteration is exited, abandoned", List.of(BatchResult.Outcome.ABANDONED),
                exits.stream().map(BatchResult::outcome).toList());
        exits.clear();
        controllers.remove(second);
        controller(recording(() -> { }, () -> null, () -> {
            throw new OutOfMemoryError("planned: exit");
        }));
        assertEquals(Kind.COMMITTED, batch().kind());
        assertEquals(List.of(BatchResult.Outcome.ABANDONED), exits.stream().map(BatchResult::outcome).toList());
        assertArrayEquals(new long[] {ROWS, 30, 0}, rows());
        assertEquals(faults.snapshot().toString(), 4, faults.snapshot().size());
        assertTrue(faults.snapshot().toString(), faults.snapshot().stream().anyMatch(f -> f.message().contains("enter returned null")));
    }

    @Test
    public void underRandomFaultsEveryRowIsProcessedExactlyOnce() throws SQLException {
        settings = new Settings(0, false, 0, 1, 1, 1); // batches of one item
        db.plan(FaultyDataSource.random(11, 0.15, EnumSet.allOf(Call.class), 0.2));
        handler.afterWork = () -> { };
        int batches = 0;
        for (int i = 0; i < 50_000; i++) {
            try {
                if (session == null) {
                    session = Session.open(db, "main", "test");
                }
                var queue = session.store.queue(session.connection);
                if (queue.isEmpty()) {
                    break;
                }
                run.at(queue.get(0));
                BatchPipeline.Outcome outcome = pipeline.run(session, run, handler, 0, signals.changes());
                batches++;
                if (outcome.kind() == Kind.DATABASE_FAILED || session.connection.isClosed()) {
                    session.close();
                    session = null;
                }
            } catch (Throwable t) { // as the runner's loop: a new session
                if (session != null) {
                    session.close();
                    session = null;
                }
            }
        }
        db.plan(FaultyDataSource.NONE);
        if (session == null) {
            session = Session.open(db, "main", "test");
        }
        System.out.println("pipeline under random faults: " + db.injected() + " faults injected in " + batches + " batches");
        assertTrue("the update completed", session.store.queue(session.connection).isEmpty());
        assertArrayEquals("every row exactly once", new long[] {ROWS, ROWS, 0}, rows());
        assertTrue("faults injected: " + db.injected(), db.injected() >= 100);
        assertFalse(session.connection.isClosed());
    }

    @Test
    public void aSizeCallbackThatNeverAnswersCostsItsTimeoutOncePerUpdateNotEveryBatch() throws SQLException {
        AtomicInteger asked = new AtomicInteger();
        controller(new BackgroundUpdateController() {
            @Override
            public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
                return () -> CompletableFuture.completedFuture(0L);
            }

            @Override
            public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
                asked.incrementAndGet();
                return new CompletableFuture<>(); // never answers
            }
        });
        long start = System.nanoTime();
        for (int i = 0; i < 3; i++) {
            assertEquals(Kind.COMMITTED, batch().kind());
        }
        long seconds = java.util.concurrent.TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        assertEquals("asked once", 1, asked.get());
        assertTrue("one timeout, not three: " + seconds + " s", seconds < 2 * ControllerCalls.CALLBACK_TIMEOUT_MILLIS / 1000);
        assertArrayEquals("the configured default size meanwhile", new long[] {ROWS, 30, 0}, rows());
    }
}
