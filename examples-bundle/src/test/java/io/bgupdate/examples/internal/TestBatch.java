package io.bgupdate.examples.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.IndexUpdate;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/** A batch as the runner makes one: a transaction the test commits or rolls back, and the handler's decision. */
final class TestBatch implements Batch {

    private final Progress progress;
    private final int size;
    private final Connection connection;
    Progress saved;
    boolean complete;

    TestBatch(Progress progress, int size, Connection connection) {
        this.progress = progress;
        this.size = size;
        this.connection = connection;
    }

    /** @return a fresh in-memory H2 database that lives until the JVM exits */
    static DataSource h2() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return ds;
    }

    /** One committed batch, as the runner would record it. */
    record Run(int size, int items, Progress progressBefore, OptionalLong remainingBefore) {
    }

    /**
     * Runs an update to completion as the runner does: a transaction per batch, committed with
     * the progress, the remaining items estimated before each batch.
     *
     * @return the batches, in order
     */
    static List<Run> runToCompletion(DataSource ds, UpdateHandler handler, int size) throws Exception {
        return runToCompletion(ds, handler, size, Progress.empty());
    }

    /** As {@link #runToCompletion(DataSource, UpdateHandler, int)}, from saved progress. */
    static List<Run> runToCompletion(DataSource ds, UpdateHandler handler, int size, Progress from) throws Exception {
        List<Run> runs = new ArrayList<>();
        Progress progress = from;
        while (true) {
            if (runs.size() > 100_000) {
                throw new AssertionError("the update does not complete");
            }
            OptionalLong remaining;
            try (Connection c = ds.getConnection()) {
                remaining = handler.estimateRemaining(c, progress);
            }
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                TestBatch batch = new TestBatch(progress, size, c);
                int items = handler.run(batch);
                if (!batch.complete && batch.saved == null) {
                    throw new AssertionError("batch neither saved progress nor completed");
                }
                c.commit();
                runs.add(new Run(size, items, progress, remaining));
                if (batch.complete) {
                    return runs;
                }
                progress = batch.saved;
            }
        }
    }

    @Override
    public String updateName() {
        return "test";
    }

    @Override
    public String databaseName() {
        return "main";
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void saveProgress(Progress next) {
        saved = next;
    }

    @Override
    public void complete() {
        complete = true;
    }

    @Override
    public void createIndex(IndexUpdate index) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX IF NOT EXISTS " + index.indexName()
                    + " ON " + index.table() + " (" + String.join(", ", index.columns()) + ")");
        }
    }

    @Override
    public void validateConstraint(io.bgupdate.api.handler.ConstraintValidation validation) {
        // H2 validates constraints when they are added
    }
}
