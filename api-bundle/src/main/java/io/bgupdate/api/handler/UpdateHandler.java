package io.bgupdate.api.handler;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The code of one background update, called batch by batch.
 *
 * <p>Register it as an OSGi service with at least the {@link UpdateProperties#NAME} property.
 * For each batch the runner opens a transaction, calls {@link #run(Batch)}, saves the progress
 * the handler set, and commits: the handler's work and its progress are committed together, so
 * a crash never applies a batch twice nor loses one. A handler must therefore do all its work
 * through {@link Batch#connection()} and must not commit or roll back itself; that connection
 * refuses it.
 *
 * <p>A handler that throws has its batch rolled back; the runner retries it with a growing
 * back-off and, after five failures in a row, stops the database's updates (state
 * {@code ABORTED}) until an operator resumes them.
 */
@ConsumerType
@FunctionalInterface
public interface UpdateHandler {

    /**
     * Processes up to {@link Batch#size()} items, starting where {@link Batch#progress()} says,
     * and then either {@linkplain Batch#saveProgress(Progress) saves the new progress} or
     * {@linkplain Batch#complete() marks the update complete}. Returning without doing either is
     * a failure of the batch.
     *
     * @param batch the batch: progress in, size, the transaction's connection
     * @return the number of items processed, 0 or more
     * @throws Exception any failure; the batch is rolled back and retried later
     */
    int run(Batch batch) throws Exception;

    /**
     * Whether the update runs in one go (such as creating an index) rather than in batches: the
     * controller is told so, and the batch size is then meaningless. The default is {@code false}.
     *
     * @return {@code true} for a one-shot update
     */
    default boolean oneShot() {
        return false;
    }

    /**
     * Estimates how many items are left, for the progress and estimated time shown in the status.
     * Called in a read-only transaction when the update becomes current and now and then while it
     * runs, never concurrently with {@link #run(Batch)}. The default returns empty: unknown.
     *
     * @param connection a connection to the update's database
     * @param progress the progress saved by the last committed batch
     * @return the number of items left, or empty if it cannot be estimated
     * @throws SQLException if the estimate fails; the status then shows no estimate
     */
    default OptionalLong estimateRemaining(Connection connection, Progress progress) throws SQLException {
        return OptionalLong.empty();
    }

    /**
     * A handler that completes at once: for an update that is no longer needed but must still be
     * marked done, as Synapse's {@code register_noop_background_update}.
     *
     * @return a one-shot handler that processes nothing and completes
     */
    static UpdateHandler noOp() {
        return new UpdateHandler() {
            @Override
            public int run(Batch batch) {
                batch.complete();
                return 0;
            }

            @Override
            public boolean oneShot() {
                return true;
            }
        };
    }
}
