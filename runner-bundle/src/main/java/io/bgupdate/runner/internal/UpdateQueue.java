package io.bgupdate.runner.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

import io.bgupdate.api.QueuedUpdate;

/**
 * Chooses the next update to run, as Synapse does: queued updates ordered by {@code ordering},
 * then name; the first whose {@code depends_on} is empty or no longer queued runs.
 *
 * <p>One difference, for the whiteboard: a dependency that is not queued counts as done only if
 * it has completed. Handlers register one by one, so an update may be queued a moment before the
 * update it depends on; Synapse, which queues both in one schema delta, never sees that. Updates
 * without a handler are passed over, and reported, since they cannot run.
 */
final class UpdateQueue {

    /** What the queue allows now: an update to run, or nothing, with the reasons. */
    record Choice(Optional<QueuedUpdate> next, List<String> errors) {
    }

    static final Comparator<QueuedUpdate> ORDER =
            Comparator.comparingInt(QueuedUpdate::ordering).thenComparing(QueuedUpdate::name);

    private UpdateQueue() {
    }

    static List<QueuedUpdate> sorted(List<QueuedUpdate> queue) {
        List<QueuedUpdate> copy = new ArrayList<>(queue);
        copy.sort(ORDER);
        return copy;
    }

    /**
     * @param queue the queued updates
     * @param completed whether an update that is not queued has completed on this database
     */
    static Choice choose(List<QueuedUpdate> queue, Predicate<String> completed) {
        Set<String> queued = new HashSet<>();
        queue.forEach(u -> queued.add(u.name()));
        List<String> errors = new ArrayList<>();
        boolean blockedOnlyByQueued = !queue.isEmpty();
        for (QueuedUpdate u : sorted(queue)) {
            Optional<String> dependency = u.dependsOn();
            if (dependency.isPresent() && queued.contains(dependency.get())) {
                continue;
            }
            blockedOnlyByQueued = false;
            if (dependency.isPresent() && !completed.test(dependency.get())) {
                errors.add("update " + u.name() + " waits for " + dependency.get() + ", which is neither queued nor completed");
            } else if (!u.hasHandler()) {
                errors.add("update " + u.name() + " is queued but no handler is registered for it");
            } else {
                return new Choice(Optional.of(u), errors);
            }
        }
        if (blockedOnlyByQueued) {
            errors.add("dependency cycle: no queued update can run (" + describe(queue) + ")");
        }
        return new Choice(Optional.empty(), errors);
    }

    private static String describe(List<QueuedUpdate> queue) {
        List<String> edges = new ArrayList<>();
        for (QueuedUpdate u : sorted(queue)) {
            edges.add(u.name() + " -> " + u.dependsOn().orElse("nothing"));
        }
        return String.join(", ", edges);
    }
}
