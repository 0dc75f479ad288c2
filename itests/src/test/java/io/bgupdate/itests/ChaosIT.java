package io.bgupdate.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertTrue;

import java.util.EnumSet;
import java.util.Hashtable;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.RunnerState;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.controller.Iteration;
import io.bgupdate.api.handler.UpdateProperties;
import io.bgupdate.testkit.FaultyDataSource;
import io.bgupdate.testkit.Increment;

/**
 * Chaos: a non-idempotent back-fill ({@code n = n + 1}) on a database whose JDBC calls fail at
 * random (getConnection, statements, commit, the commit's reply, rollback, close; SQLExceptions,
 * lost connections and Errors), under a controller that misbehaves at random. At least 1,000
 * faults are injected; at the end every row has n = 1.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class ChaosIT extends BgupdateTestSupport {

    private static final int ROWS = 2_000;
    private static final long FAULTS = 1_000;

    @Configuration
    public Option[] config() {
        return Felix.withBgupdate();
    }

    @Test
    public void aNonIdempotentBackfillUnderAThousandFaultsProcessesEveryRowExactlyOnce() throws Exception {
        configureRunner(Map.of("sleep_enabled", false, "background_update_duration_ms", 1L, "retry_backoff_ms", 1L));
        DataSource chaos = new FlakyDatabase(context).dataSource; // a database of its own: a second runner on one PostgreSQL database waits for the first's lease
        Increment.create(chaos, "chaos_items", ROWS);
        FaultyDataSource faulty = new FaultyDataSource(chaos)
                .plan(FaultyDataSource.random(42, 0.12, EnumSet.allOf(FaultyDataSource.Call.class), 0.1));
        controller(new Misbehaving(new Random(7)), 10);
        context.registerService(DataSource.class, faulty, new Hashtable<>(Map.of(BackgroundUpdates.DATABASE_NAME, "chaos")));
        handler("chaos_inc", new Increment("chaos_items"), UpdateProperties.DATABASE, "chaos");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(6);
        int resumes = 0;
        while (faulty.injected() < FAULTS && System.nanoTime() < deadline) {
            Thread.sleep(200);
            if (isAborted()) { // five handler failures in a row: an operator resumes
                resumes++;
                resume();
            }
        }
        long injected = faulty.injected();
        faulty.plan(FaultyDataSource.NONE);
        long[] midway = Increment.check(chaos, "chaos_items");
        resume();
        updates.whenCompleted("chaos_inc", "chaos").toCompletableFuture().get(Await.LONG.toSeconds(), TimeUnit.SECONDS);
        long[] rows = Increment.check(chaos, "chaos_items");
        System.out.println("chaos: " + injected + " faults injected (" + EnumSet.allOf(FaultyDataSource.Call.class).stream()
                .map(c -> c + "=" + faulty.injected(c)).toList() + "), " + midway[1] + " rows done under faults, " + resumes
                + " resumes; rows checked " + rows[0] + ", n = 1: " + rows[1] + ", n > 1: " + rows[2]);
        assertTrue("faults injected: " + injected, injected >= FAULTS);
        assertTrue("progress under faults", midway[1] > 0);
        assertArrayEquals("every row exactly once", new long[] {ROWS, ROWS, 0}, rows);
    }

    private boolean isAborted() {
        try {
            return updates.status("chaos").state() == RunnerState.ABORTED;
        } catch (IllegalStateException | IllegalArgumentException e) {
            return false;
        }
    }

    private void resume() {
        try {
            updates.resume("chaos");
        } catch (IllegalStateException e) {
            // the faulty database refused the operator too: tried again
        }
    }

    /** A controller whose every callback misbehaves now and then: throws (Errors too), returns null, out of range, or fails. */
    static final class Misbehaving implements BackgroundUpdateController {

        private final Random random;

        Misbehaving(Random random) {
            this.random = random;
        }

        private synchronized int roll() {
            return random.nextInt(40);
        }

        @Override
        public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
            switch (roll()) {
                case 0: throw new NoClassDefFoundError("planned: the controller's bundle is being updated");
                case 1: return null;
                case 2: throw new IllegalStateException("planned: onUpdate");
                default:
            }
            return new Iteration() {
                @Override
                public CompletionStage<Long> enter() {
                    switch (roll()) {
                        case 0: throw new LinkageError("planned: enter");
                        case 1: return null;
                        case 2: return CompletableFuture.completedFuture(-1L);
                        case 3: return CompletableFuture.failedFuture(new IllegalStateException("planned: enter fails"));
                        case 4: return CompletableFuture.completedFuture(null);
                        default: return CompletableFuture.completedFuture(1L);
                    }
                }

                @Override
                public void exit(BatchResult result) {
                    if (roll() == 0) {
                        throw new AssertionError("planned: exit");
                    }
                }
            };
        }

        @Override
        public CompletionStage<OptionalInt> minBatchSize(String updateName, String databaseName) {
            switch (roll()) {
                case 0: return CompletableFuture.completedFuture(OptionalInt.of(0));
                case 1: throw new NoClassDefFoundError("planned: minBatchSize");
                case 2: return null;
                default: return CompletableFuture.completedFuture(OptionalInt.of(1));
            }
        }

        @Override
        public CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
            return roll() == 0 ? CompletableFuture.failedFuture(new IllegalStateException("planned")) : NOT_PROVIDED;
        }
    }
}
