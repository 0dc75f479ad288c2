package io.bgupdate.runner.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.controller.BatchResult;
import io.bgupdate.api.handler.Progress;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * The update a runner is working on, as its thread tracks it: where it is, what it has done,
 * and what is left, for the status. Only the runner thread touches it.
 */
final class CurrentRun {

    private static final Logger LOG = LoggerFactory.getLogger(CurrentRun.class);
    private static final long ESTIMATE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

    final String name;
    final Store.Run run;
    /** The progress saved by the last committed batch; null once the update completed. */
    Progress progress;
    /** The queue row's progress exactly as read, which the batch's compare-and-set compares with. */
    String progressText;
    private final Instant startedHere = Instant.now();
    private long itemsHere;
    private long busyHere;
    private long batches;
    private int lastBatchSize;
    private OptionalLong remainingAtEstimate = OptionalLong.empty();
    private long itemsAtEstimate;
    private long estimatedAt;
    private boolean estimated;

    CurrentRun(String name, Store.Run run) {
        this.name = name;
        this.run = run;
    }

    /** Goes on from the queue row as read now. */
    void at(Store.Queued row) {
        progress = row.progress();
        progressText = row.progressText();
    }

    void committed(BatchResult r, Optional<Progress> next) {
        itemsHere += r.items();
        busyHere += r.durationMillis();
        batches++;
        lastBatchSize = r.batchSize();
        progress = next.orElse(null);
        progressText = next.map(Progress::toJson).orElse(null);
    }

    boolean isComplete() {
        return progress == null;
    }

    long items() {
        return run.items() + itemsHere;
    }

    long busyMillis() {
        return run.busyMillis() + busyHere;
    }

    /** Asks the handler what is left, at most every 10 s, in the runner's session. */
    void estimate(UpdateHandler handler, Connection session) {
        if (estimated && System.nanoTime() - estimatedAt < ESTIMATE_EVERY_NANOS) {
            return;
        }
        estimated = true;
        estimatedAt = System.nanoTime();
        try {
            remainingAtEstimate = handler.estimateRemaining(session, progress);
            itemsAtEstimate = itemsHere;
        } catch (Throwable e) { // a plug-in: whatever it throws, the estimate is only left out
            LOG.debug("could not estimate what is left of {}", name, e);
            remainingAtEstimate = OptionalLong.empty();
        }
    }

    CurrentUpdate status() {
        OptionalLong remaining = remainingAtEstimate.isPresent()
                ? OptionalLong.of(Math.max(0, remainingAtEstimate.getAsLong() - (itemsHere - itemsAtEstimate)))
                : OptionalLong.empty();
        long wallMillis = Duration.between(startedHere, Instant.now()).toMillis();
        Optional<Duration> eta = remaining.isPresent() && itemsHere > 0 && wallMillis > 0
                ? Optional.of(Duration.ofMillis((long) (remaining.getAsLong() * (double) wallMillis / itemsHere)))
                : Optional.empty();
        return new StatusRecords.Current(name, run.started(), items(), busyMillis(), batches, lastBatchSize,
                progress == null ? Progress.empty() : progress, remaining, eta);
    }
}
