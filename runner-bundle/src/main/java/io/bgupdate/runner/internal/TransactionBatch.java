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

/** The {@link Batch} handed to a handler: one transaction, and what the handler decided about progress. */
final class TransactionBatch implements Batch {

    private final String updateName;
    private final String databaseName;
    private final Progress progress;
    private final int size;
    private final Connection connection;
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
        this.dialect = dialect;
        this.dataSource = dataSource;
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
        return connection;
    }

    @Override
    public void saveProgress(Progress next) {
        saved = Objects.requireNonNull(next, "progress");
    }

    @Override
    public void complete() {
        complete = true;
    }

    @Override
    public void createIndex(IndexUpdate index) throws SQLException {
        dialect.createIndex(index, connection, dataSource);
    }

    @Override
    public void validateConstraint(ConstraintValidation validation) throws SQLException {
        dialect.validateConstraint(validation, connection);
    }

    /**
     * @return the progress to save, or empty if the update completed
     * @throws IllegalStateException if the handler did neither
     */
    Optional<Progress> outcome() {
        if (complete) {
            return Optional.empty();
        }
        if (saved == null) {
            throw new IllegalStateException("handler of " + updateName + " returned without saving progress or completing");
        }
        return Optional.of(saved);
    }
}
