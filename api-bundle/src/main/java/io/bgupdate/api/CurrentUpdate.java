package io.bgupdate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import io.bgupdate.api.handler.Progress;

/**
 * The update a database's runner is working on.
 *
 * @param name the update
 * @param started when it first ran, as its history row says
 * @param items items processed so far, over all runs of the host
 * @param busyMillis milliseconds spent in its handler so far, over all runs of the host
 * @param batches batches committed since this host started it
 * @param lastBatchSize the size of the last batch asked for, 0 before the first
 * @param progress the progress saved by its last committed batch
 * @param remaining items left, where the handler can estimate them
 * @param eta estimated time left at the wall-clock speed since this host started it (sleeps
 *        and throttling included), where the remaining items are known
 */
public record CurrentUpdate(
        String name,
        Instant started,
        long items,
        long busyMillis,
        long batches,
        int lastBatchSize,
        Progress progress,
        OptionalLong remaining,
        Optional<Duration> eta) {

    /** @return the share done from 0 to 1, where the remaining items are known */
    public OptionalDouble fractionDone() {
        if (remaining.isEmpty()) {
            return OptionalDouble.empty();
        }
        long total = items + remaining.getAsLong();
        return OptionalDouble.of(total == 0 ? 1.0 : (double) items / total);
    }
}
