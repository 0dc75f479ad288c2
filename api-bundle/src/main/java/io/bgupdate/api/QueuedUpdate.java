package io.bgupdate.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.bgupdate.api.handler.Progress;

/** A row of the {@code background_updates} queue, in a {@link DatabaseStatus}. Immutable. */
@ProviderType
public interface QueuedUpdate {

    /** @return the update */
    String name();

    /** @return its position: the queue runs by ascending ordering, then name */
    int ordering();

    /** @return the update that must complete first, if any */
    Optional<String> dependsOn();

    /** @return the progress saved by its last committed batch */
    Progress progress();

    /** @return whether a handler for it is registered; without one it cannot run */
    boolean hasHandler();
}
