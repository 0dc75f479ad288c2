package io.bgupdate.webconsole.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Items per second of each database's current update at the wall clock (sleeps and throttling
 * included), from the item counts the page sees over the last minute.
 */
final class Rates {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final long MIN_SPAN_NANOS = 1_000_000_000L;

    private record Sample(long nanos, long items) {
    }

    /** Samples by database and update; guarded by {@code this}. */
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    /**
     * Records a sample and returns the rate over the samples of the last minute.
     *
     * @param key the database and update
     * @param nanos {@link System#nanoTime()} now
     * @param items the update's items done now
     * @return items per second, once the samples span a second
     */
    synchronized OptionalDouble sample(String key, long nanos, long items) {
        Deque<Sample> d = samples.computeIfAbsent(key, k -> new ArrayDeque<>());
        if (!d.isEmpty() && d.peekLast().items() > items) {
            d.clear(); // queued again from empty progress
        }
        d.addLast(new Sample(nanos, items));
        while (d.size() > 2 && nanos - d.peekFirst().nanos() > WINDOW_NANOS) {
            d.removeFirst();
        }
        samples.values().removeIf(q -> nanos - q.peekLast().nanos() > WINDOW_NANOS); // updates gone
        Sample first = d.peekFirst();
        long span = nanos - first.nanos();
        return span < MIN_SPAN_NANOS ? OptionalDouble.empty()
                : OptionalDouble.of((items - first.items()) * 1e9 / span);
    }
}
