package io.bgupdate.api;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A row of the history: one run of an update on a database, from its first batch to
 * completion, as {@link BackgroundUpdates#history(String)} returns it. Immutable.
 */
@ProviderType
public interface UpdateRun {

    /**
     * How a run stands. Later versions may add constants: a consumer that switches on it keeps
     * a default branch.
     */
    enum Outcome {
        /** Started and not completed yet. */
        RUNNING,
        /** Completed: the update left the queue. */
        COMPLETE
    }

    /** @return the update */
    String name();

    /** @return the database */
    String databaseName();

    /** @return when its first batch ran */
    Instant started();

    /** @return when it completed; empty while it runs */
    Optional<Instant> completed();

    /** @return items processed */
    long items();

    /** @return milliseconds spent in its handler */
    long busyMillis();

    /** @return how it stands */
    Outcome outcome();
}
