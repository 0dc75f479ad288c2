package io.bgupdate.api.controller;

import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One batch as seen by a controller: the Java form of the asynchronous context manager that
 * Synapse's {@code on_update} returns.
 *
 * <p>The runner calls {@link #enter()} once, waits for its stage, runs the batch, and then calls
 * {@link #exit(BatchResult)} exactly once, whatever happened, including when the batch failed
 * or the runner abandoned the wait (pause, bundle stop, or another controller taking over). When
 * it abandons the wait it first calls {@link #abandon()}, whatever the class of the stage.
 */
@ConsumerType
public interface Iteration {

    /**
     * Called before the batch. The controller may wait here (sleep, wait for a rate-limit token
     * or a time window) by completing the stage later; the runner does not block any other
     * database meanwhile. When the runner stops waiting before the stage completes it calls
     * {@link #abandon()}, also cancels the stage's {@link java.util.concurrent.CompletableFuture}
     * form, and exits the iteration with {@link BatchResult.Outcome#ABANDONED}.
     *
     * @return a stage completing with the desired duration of the batch in milliseconds (0 or
     *         more); ignored for one-shot updates. A negative value, {@code null} or a failed
     *         stage makes the runner use its default controller for this batch.
     */
    CompletionStage<Long> enter();

    /**
     * Called at most once, before {@link #exit(BatchResult) exit} with
     * {@link BatchResult.Outcome#ABANDONED}, when the runner stops waiting for the stage of
     * {@link #enter()} before it completed: the controller may release what it holds for this
     * wait (a timer, a reserved rate-limit budget). Called whatever the class of the stage, on
     * the runner's thread; must return promptly. The default does nothing.
     */
    default void abandon() {
    }

    /**
     * Called once the batch is over, or abandoned. Must return promptly. The default does nothing.
     *
     * @param result what the batch did: an addition to Synapse's callbacks that lets a
     *        controller budget by items
     */
    default void exit(BatchResult result) {
    }
}
