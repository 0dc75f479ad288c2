package io.bgupdate.testkit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.OptionalLong;

import javax.sql.DataSource;

import org.junit.Before;
import org.junit.Test;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.ConstraintValidation;
import io.bgupdate.api.handler.IndexUpdate;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

public class HandlerDriverTest {

    private DataSource ds;

    @Before
    public void table() throws SQLException {
        ds = TestDatabases.h2();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id INT PRIMARY KEY, n INT NOT NULL)");
            s.execute("INSERT INTO items SELECT x, 0 FROM SYSTEM_RANGE(1, 1000)");
        }
    }

    /** A non-idempotent back-fill: n = n + 1 by key range, on the batch's connection or, if leaky, on a connection of its own. */
    private final class Increment implements UpdateHandler {
        final boolean leaky;

        Increment(boolean leaky) {
            this.leaky = leaky;
        }

        @Override
        public int run(Batch batch) throws SQLException {
            long from = batch.progress().getLong("last_id", 0);
            try (Connection own = leaky ? ds.getConnection() : null) {
                Connection c = leaky ? own : batch.connection();
                try (PreparedStatement p = c.prepareStatement("UPDATE items SET n = n + 1 WHERE id > ? AND id <= ?")) {
                    p.setLong(1, from);
                    p.setLong(2, from + batch.size());
                    int items = p.executeUpdate();
                    if (items == 0) {
                        batch.complete();
                    } else {
                        batch.saveProgress(batch.progress().with("last_id", from + batch.size()));
                    }
                    return items;
                }
            }
        }

        @Override
        public OptionalLong estimateRemaining(Connection c, Progress progress) throws SQLException {
            return OptionalLong.of(count(c, "SELECT COUNT(*) FROM items WHERE id > " + progress.getLong("last_id", 0)));
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = ds.getConnection()) {
            return count(c, sql);
        }
    }

    @Test
    public void runsBatchByBatchWithProgressAndEstimates() throws Exception {
        List<BatchRun> runs = HandlerDriver.of(ds, new Increment(false)).size(300).runToCompletion();
        assertEquals("4 full or partial batches and an empty one", 5, runs.size());
        assertEquals(List.of(300, 300, 300, 100, 0), runs.stream().map(BatchRun::items).toList());
        assertEquals(Progress.empty().with("last_id", 300), runs.get(1).progressBefore());
        assertEquals(OptionalLong.of(700), runs.get(1).remainingBefore());
        assertTrue(runs.get(4).completed());
        assertEquals(1000, count("SELECT COUNT(*) FROM items WHERE n = 1"));
    }

    @Test
    public void rollingBackEachBatchOnceKeepsATransactionalHandlerExactlyOnce() throws Exception {
        HandlerDriver.of(ds, new Increment(false)).size(300).rollingBackEachBatchOnce().runToCompletion();
        assertEquals(1000, count("SELECT COUNT(*) FROM items WHERE n = 1"));
    }

    @Test
    public void rollingBackEachBatchOnceShowsWorkDoneOutsideTheTransaction() throws Exception {
        HandlerDriver.of(ds, new Increment(true)).size(300).rollingBackEachBatchOnce().runToCompletion();
        assertEquals("every row doubled", 1000, count("SELECT COUNT(*) FROM items WHERE n = 2"));
    }

    @Test
    public void aRolledBackBatchChangesNothing() throws Exception {
        HandlerDriver driver = HandlerDriver.of(ds, new Increment(false)).size(100);
        BatchRun run = driver.runBatchRolledBack();
        assertEquals(100, run.items());
        assertEquals(Progress.empty().with("last_id", 100), run.progressAfter().orElseThrow());
        assertFalse(run.committed());
        assertEquals(Progress.empty(), driver.progress());
        assertEquals(0, count("SELECT COUNT(*) FROM items WHERE n > 0"));
        driver.from(Progress.empty().with("last_id", 950)).runBatch();
        assertEquals(Progress.empty().with("last_id", 1050), driver.progress());
        assertEquals(50, count("SELECT COUNT(*) FROM items WHERE n > 0"));
    }

    @Test
    public void theConnectionRefusesCommitRollbackCloseAndAutoCommitNamingTheRule() throws Exception {
        for (String call : List.of("commit", "rollback", "close", "autocommit")) {
            UpdateHandler h = batch -> {
                Connection c = batch.connection();
                try (Statement s = c.createStatement()) {
                    s.executeUpdate("UPDATE items SET n = 7 WHERE id = 1");
                }
                switch (call) {
                    case "commit" -> c.commit();
                    case "rollback" -> c.rollback();
                    case "close" -> c.close();
                    default -> c.setAutoCommit(true);
                }
                batch.complete();
                return 1;
            };
            SQLException e = assertThrows(SQLException.class, () -> HandlerDriver.of(ds, h).runBatch());
            assertTrue(e.getMessage(), e.getMessage().contains("never commit, roll back or close it"));
            assertEquals(call + " left nothing behind", 0, count("SELECT COUNT(*) FROM items WHERE n = 7"));
        }
    }

    @Test
    public void theHandlersOwnSavepointsWork() throws Exception {
        UpdateHandler h = batch -> {
            Connection c = batch.connection();
            c.setAutoCommit(false); // no change: allowed
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE items SET n = 1 WHERE id = 1");
                Savepoint sp = c.setSavepoint();
                s.executeUpdate("UPDATE items SET n = 1 WHERE id = 2");
                c.rollback(sp);
                Savepoint other = c.setSavepoint("other");
                c.releaseSavepoint(other);
            }
            batch.complete();
            return 1;
        };
        HandlerDriver.of(ds, h).runToCompletion();
        assertEquals(1, count("SELECT COUNT(*) FROM items WHERE n = 1"));
    }

    @Test
    public void aHandlerThatNeitherSavesNorCompletesBreaksTheRule() throws Exception {
        AssertionError e = assertThrows(AssertionError.class, () -> HandlerDriver.of(ds, batch -> 0).runBatch());
        assertTrue(e.getMessage(), e.getMessage().contains("without saving progress or completing"));
    }

    @Test
    public void anUpdateThatNeverCompletesIsReported() {
        UpdateHandler forever = batch -> {
            batch.saveProgress(batch.progress());
            return 0;
        };
        AssertionError e = assertThrows(AssertionError.class, () -> HandlerDriver.of(ds, forever).maxBatches(50).runToCompletion());
        assertTrue(e.getMessage(), e.getMessage().contains("did not complete in 50 batches"));
    }

    @Test
    public void readyMadeUpdatesRunWithTheRunnersSql() throws Exception {
        List<BatchRun> runs = HandlerDriver.of(ds, IndexUpdate.on("items", "n").named("items_n_idx").build()).runToCompletion();
        assertEquals(1, runs.size());
        assertTrue(runs.get(0).completed());
        assertEquals(1, count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'ITEMS_N_IDX'"));
        HandlerDriver.of(ds, IndexUpdate.on("items", "id", "n").named("items_id_n_idx").replacing("items_n_idx").build()).runToCompletion();
        assertEquals(0, count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'ITEMS_N_IDX'"));
        assertTrue(HandlerDriver.of(ds, new ConstraintValidation("items", "items_pk")).runBatch().completed());
    }
}
