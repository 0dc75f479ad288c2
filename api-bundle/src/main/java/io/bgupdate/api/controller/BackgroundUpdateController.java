package io.bgupdate.api.controller;

import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Decides how hard background updates may push a database: the Java form of Synapse's
 * {@code on_update}, {@code default_batch_size} and {@code min_batch_size} callbacks.
 *
 * <p>Register an implementation as an OSGi service. The runner chooses the controller afresh for
 * every batch: the service with the highest {@code service.ranking} property wins, ties going to
 * the lowest {@code service.id} (the order of {@link org.osgi.framework.ServiceReference#compareTo}).
 * Register with a positive ranking to take over from the built-in default controller.
 *
 * <p>The runner calls a controller from its own threads, one batch at a time per database but
 * for several databases at once, so implementations must be thread-safe. A controller must never
 * stop the updates: when a callback throws, its stage fails, or it returns a value out of range
 * (a batch size below 1, a negative duration), the runner logs the cause once, counts it in the
 * status and uses its default for that batch instead.
 */
@ConsumerType
public interface BackgroundUpdateController {

    /**
     * The value of {@link #defaultBatchSize} and {@link #minBatchSize} that means "not provided":
     * the runner then uses its configured {@code default_batch_size} (100) or
     * {@code min_batch_size} (1).
     */
    CompletionStage<OptionalInt> NOT_PROVIDED = CompletableFuture.completedStage(OptionalInt.empty());

    /**
     * Called, synchronously, when the runner is about to run one batch of an update. Required.
     *
     * <p>The runner {@linkplain Iteration#enter() enters} the returned iteration before the batch,
     * waits (interruptibly) until entering completes, runs the batch, and then
     * {@linkplain Iteration#exit exits} it. Long waits belong in {@link Iteration#enter()}, never here.
     *
     * @param updateName the name of the background update, as its handler registered it
     * @param databaseName the name of the database the update runs on
     * @param oneShot {@code true} if the update runs in one go and may take long (such as
     *        creating an index): its batch size and desired duration are then ignored;
     *        {@code false} if it runs in batches
     * @return the iteration for this batch, never {@code null}
     */
    Iteration onUpdate(String updateName, String databaseName, boolean oneShot);

    /**
     * The number of items for the first batch of an update, before the runner has measured it.
     * Optional: the default implementation returns {@link #NOT_PROVIDED}.
     *
     * @param updateName the name of the background update
     * @param databaseName the name of the database the update runs on
     * @return a stage completing with the batch size (at least 1), or with an empty value for
     *         the runner's configured default
     */
    default CompletionStage<OptionalInt> defaultBatchSize(String updateName, String databaseName) {
        return NOT_PROVIDED;
    }

    /**
     * The least number of items of any batch, so that every batch makes progress whatever the
     * measured speed. Optional: the default implementation returns {@link #NOT_PROVIDED}.
     *
     * @param updateName the name of the background update
     * @param databaseName the name of the database the update runs on
     * @return a stage completing with the minimum batch size (at least 1), or with an empty
     *         value for the runner's configured minimum
     */
    default CompletionStage<OptionalInt> minBatchSize(String updateName, String databaseName) {
        return NOT_PROVIDED;
    }
}
