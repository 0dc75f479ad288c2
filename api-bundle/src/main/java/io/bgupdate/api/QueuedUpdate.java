package io.bgupdate.api;

import java.util.Optional;

import io.bgupdate.api.handler.Progress;

/**
 * A row of the {@code background_updates} queue.
 *
 * @param name the update
 * @param ordering its position: the queue runs by ascending ordering, then name
 * @param dependsOn the update that must complete first, if any
 * @param progress the progress saved by its last committed batch
 * @param hasHandler whether a handler for it is registered; without one it cannot run
 */
public record QueuedUpdate(String name, int ordering, Optional<String> dependsOn, Progress progress, boolean hasHandler) {
}
