package io.bgupdate.api.handler;

import java.sql.Connection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One batch of a background update, as the runner hands it to {@link UpdateHandler#run(Batch)}.
 * Valid only during that call. It holds only what every handler needs; database-specific work
 * such as building an index is described by {@link IndexUpdate} and
 * {@link ConstraintValidation}, which the runner executes through its database dialect.
 */
@ProviderType
public interface Batch {

    /** @return the name of the update */
    String updateName();

    /** @return the name of the database the update runs on */
    String databaseName();

    /** @return the progress saved by the last committed batch; empty for the first batch */
    Progress progress();

    /**
     * @return the number of items to process in this batch, at least 1, as sized by the
     *         controller's desired duration and the measured speed of earlier batches
     */
    int size();

    /**
     * The connection of the batch's transaction (auto-commit off). The runner commits it after
     * {@link UpdateHandler#run(Batch)} returns, together with the progress. Statements, and
     * savepoints the handler sets itself, work as on any connection; {@code commit},
     * {@code rollback}, {@code close}, {@code setAutoCommit(true)} and releasing or rolling back
     * to a savepoint the handler did not set throw an {@link java.sql.SQLException} naming this
     * rule, since they would break the transaction the runner commits with the progress.
     *
     * @return the connection to do the batch's work on
     */
    Connection connection();

    /**
     * Sets the progress to save with this batch's commit, for the next batch to start from.
     *
     * @param progress the new progress, not {@code null}
     */
    void saveProgress(Progress progress);

    /** Marks the update complete with this batch's commit: it leaves the queue for good. */
    void complete();
}
