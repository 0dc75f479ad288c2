package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;

import javax.sql.DataSource;

import io.bgupdate.api.handler.Batch;
import io.bgupdate.api.handler.ConstraintValidation;
import io.bgupdate.api.handler.IndexUpdate;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * The {@link Batch} handed to a handler: one transaction, on a {@linkplain GuardedConnection
 * guarded} connection, and what the handler decided about progress. Executes ready-made updates
 * ({@link IndexUpdate}, {@link ConstraintValidation}) through the database's {@link Dialect}.
 *
 * <p>Public, in a package that is not exported, for the test kit only
 * ({@code io.bgupdate:bgupdate-testkit}), which runs handlers on a plain test class path with
 * this very code: {@link #open}, {@link #execute} and {@link #outcome}.
 */
public final class TransactionBatch implements Batch {

    private final String updateName;
    private final String databaseName;
    private final Progress progress;
    private final int size;
    private final Connection connection;
    private final Connection guarded;
    private final Dialect dialect;
    private final DataSource dataSource;
    private Progress saved;
    private boolean complete;

    TransactionBatch(String updateName, String databaseName, Progress progress, int size, Connection connection,
            Dialect dialect, DataSource dataSource) {
        this.updateName = updateName;
        this.databaseName = databaseName;
        this.progress = progress;
        this.size = size;
        this.connection = connection;
        this.guarded = GuardedConnection.guard(connection);
        this.dialect = dialect;
        this.dataSource = dataSource;
    }

    /**
     * A batch on a connection whose transaction the caller begins, commits or rolls back.
     *
     * @param connection the batch's connection, auto-commit off
     * @param dataSource its database, for work that must run outside the transaction
     * @throws SQLException if the database is not one the runner supports
     */
    public static TransactionBatch open(String updateName, String databaseName, Progress progress, int size,
            Connection connection, DataSource dataSource) throws SQLException {
        return new TransactionBatch(updateName, databaseName, progress, size, connection, Dialect.of(connection), dataSource);
    }

    /**
     * Runs the handler on this batch, or executes a ready-made update through the dialect.
     *
     * @return the items processed
     * @throws IllegalStateException if the handler returns fewer than 0 items
     */
    public int execute(UpdateHandler handler) throws Exception {
        int items;
        if (handler instanceof IndexUpdate index) {
            dialect.createIndex(index, connection, dataSource);
            complete();
            items = 1;
        } else if (handler instanceof ConstraintValidation validation) {
            dialect.validateConstraint(validation, connection);
            complete();
            items = 1;
        } else {
            items = handler.run(this);
        }
        if (items < 0) {
            throw new IllegalStateException("handler of " + updateName + " returned " + items + " items");
        }
        return items;
    }

    @Override
    public String updateName() {
        return updateName;
    }

    @Override
    public String databaseName() {
        return databaseName;
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
        return guarded;
    }

    @Override
    public void saveProgress(Progress next) {
        saved = Objects.requireNonNull(next, "progress");
    }

    @Override
    public void complete() {
        complete = true;
    }

    /**
     * @return the progress to save, or empty if the update completed
     * @throws IllegalStateException if the handler did neither
     */
    public Optional<Progress> outcome() {
        if (complete) {
            return Optional.empty();
        }
        if (saved == null) {
            throw new IllegalStateException("handler of " + updateName + " returned without saving progress or completing");
        }
        return Optional.of(saved);
    }
}
