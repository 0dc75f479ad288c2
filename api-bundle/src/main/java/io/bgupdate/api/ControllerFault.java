package io.bgupdate.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One cause of controller faults on a database, in {@link DatabaseStatus#faults()}: a callback
 * of a controller that threw, failed, did not answer in time or answered out of range. The
 * runner then used its default for that batch, logged the cause once and counts it here.
 * Immutable.
 */
@ProviderType
public interface ControllerFault {

    /**
     * What a controller callback did wrong. Later versions may add constants: a consumer that
     * switches on it keeps a default branch.
     */
    enum Kind {
        /** The callback threw. */
        THREW,
        /** The stage it returned completed exceptionally. */
        FAILED,
        /** The stage it returned did not complete in time. */
        TIMED_OUT,
        /** It returned {@code null} or a value out of range, such as a batch size below 1. */
        INVALID_VALUE
    }

    /** @return what the callback did wrong */
    Kind kind();

    /**
     * @return one line naming the controller, its service id, the callback and what it did,
     *         such as {@code controller com.example.Night (service 42): minBatchSize returned 0}
     */
    String message();

    /** @return how many times it happened since the runner started */
    long count();
}
