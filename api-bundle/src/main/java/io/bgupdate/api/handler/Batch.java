package io.bgupdate.api.handler;

import java.sql.Connection;
import java.sql.SQLException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One batch of a background update, as the runner hands it to {@link UpdateHandler#run(Batch)}.
 * Valid only during that call.
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
     * {@link UpdateHandler#run(Batch)} returns, together with the progress; do not commit, roll
     * back or close it.
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

    /**
     * Creates the index described, the way this database does it best (on embedded databases
     * with {@code IF NOT EXISTS}; on PostgreSQL {@code CONCURRENTLY}, outside the transaction,
     * after dropping a half-built index of the same name), then drops the index it replaces.
     * Used by {@link IndexUpdate}.
     *
     * @param index the index to create
     * @throws SQLException if the database refuses
     */
    void createIndex(IndexUpdate index) throws SQLException;

    /**
     * Validates a constraint added {@code NOT VALID}, the way this database does it: on
     * PostgreSQL {@code ALTER TABLE ... VALIDATE CONSTRAINT}, in this batch's transaction; on
     * databases that validate constraints when they are added (H2), nothing. Used by
     * {@link ConstraintValidation}.
     *
     * @param validation the table and constraint
     * @throws SQLException if the database refuses, such as when a row breaks the constraint
     */
    void validateConstraint(ConstraintValidation validation) throws SQLException;
}
