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
 * then name; the first whose {@code depends_on} is empty or no longer queued runs. Updates
 * without a handler are passed over (and reported), since they cannot run.
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

    static Choice choose(List<QueuedUpdate> queue) {
        Set<String> queued = new HashSet<>();
        queue.forEach(u -> queued.add(u.name()));
        Predicate<QueuedUpdate> ready = u -> u.dependsOn().filter(queued::contains).isEmpty();
        List<String> errors = new ArrayList<>();
        for (QueuedUpdate u : sorted(queue)) {
            if (!ready.test(u)) {
                continue;
            }
            if (u.hasHandler()) {
                return new Choice(Optional.of(u), errors);
            }
            errors.add("update " + u.name() + " is queued but no handler is registered for it");
        }
        if (!queue.isEmpty() && queue.stream().noneMatch(ready)) {
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
