package io.bgupdate.ratelimit.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

import io.bgupdate.api.controller.BatchResult;

/**
 * The throttle of one database: its token bucket, duty cycle, speed estimate and meter, and what
 * it is doing, for the shell. The runner runs one update at a time per database, so one bucket and
 * one duty cycle per database suffice; the limits they are measured against are those in force for
 * the update at hand (overrides included), passed in on every call.
 *
 * <p>Thread-safe: every method holds this object's monitor, which guards all its fields. Nothing
 * here waits or reads a clock; the controller passes the time in and does the waiting.
 */
final class DatabaseLimiter {

    /** What the database is doing, as far as this controller knows. */
    enum Phase {
        /** No batch asked for, or the last one is over. */
        IDLE,
        /** A batch has entered and waits for a window, the duty cycle or tokens. */
        WAITING,
        /** A batch was let in and has not exited yet. */
        IN_BATCH
    }

    /**
     * The answer to one attempt to enter.
     *
     * @param waitMillis 0 to go now, else how long to wait before asking again
     * @param desiredMillis when going, the desired duration of the batch
     * @param reason when waiting, what for: {@code window}, {@code duty cycle} or {@code tokens}
     */
    record Decision(long waitMillis, long desiredMillis, String reason) {
        boolean go() {
            return waitMillis == 0;
        }
    }

    /**
     * The state of one database, as the shell shows it.
     *
     * @param database the database
     * @param update the update of the last batch asked for, or {@code null}
     * @param phase what it is doing
     * @param reason when waiting, what for
     * @param until when waiting, until when (as of the last attempt)
     * @param tokens the bucket's balance now; meaningless when the rate is not limited
     * @param limits the limits in force for {@code update}
     * @param window the time windows' state now
     * @param itemsPerSecond items per second achieved over the last minute
     */
    record View(String database, String update, Phase phase, String reason, Instant until, double tokens,
                Limits limits, TimeWindows.State window, double itemsPerSecond) {
    }

    /** The window of {@link View#itemsPerSecond}. */
    static final long METER_WINDOW_MILLIS = 60_000;

    private final String database;
    private final TokenBucket bucket = new TokenBucket();
    private final DutyCycle duty = new DutyCycle();
    private final RateMeter meter;
    /** By update: the runner keeps its estimate of each update, so we keep ours. */
    private final Map<String, Throughput> throughputs = new HashMap<>();
    private String update;
    private Phase phase = Phase.IDLE;
    private String reason;
    private long until;

    /**
     * @param database the database
     * @param now the current time in milliseconds
     */
    DatabaseLimiter(String database, long now) {
        this.database = database;
        this.meter = new RateMeter(METER_WINDOW_MILLIS, now);
    }

    /**
     * One attempt to let a batch in. Checks, in order, the time windows, the duty cycle and (unless
     * {@code oneShot}) the tokens; waits for the latest of them. The tokens needed are those of a
     * batch of {@code duration.max} at the measured speed ({@code batch.default} before there is
     * one), at least {@code batch.min}, at most the bucket's capacity. When going, the desired
     * duration is {@code duration.max}, shortened so that the batch fits the tokens (at least 1 ms;
     * 1 ms under a rate limit while this update has no speed estimate) and ends before the window closes.
     *
     * @param updateName the update
     * @param oneShot whether it runs in one go: its size is not ours to choose, so no tokens are needed
     * @param limits the limits in force for it
     * @param now the current time
     * @return go, with the desired duration, or wait, with how long
     */
    synchronized Decision enter(String updateName, boolean oneShot, Limits limits, Instant now) {
        long ms = now.toEpochMilli();
        update = updateName;
        bucket.refill(ms, limits.rate(), limits.capacity());
        TimeWindows.State window = limits.windows().state(now, limits.zone());
        long wait = 0;
        String why = null;
        if (!window.open()) {
            wait = Math.max(1, Duration.between(now, window.change()).toMillis());
            why = "window";
        }
        long dutyWait = duty.millisUntilAllowed(ms, limits.duty());
        if (dutyWait > wait) {
            wait = dutyWait;
            why = "duty cycle";
        }
        if (limits.limitsRate() && !oneShot) {
            long tokenWait = bucket.millisUntil(need(updateName, limits), limits.rate());
            if (tokenWait > wait) {
                wait = tokenWait;
                why = "tokens";
            }
        }
        if (wait > 0) {
            phase = Phase.WAITING;
            reason = why;
            until = ms + wait;
            return new Decision(wait, 0, why);
        }
        phase = Phase.IN_BATCH;
        reason = null;
        long desired = limits.durationMax();
        if (!oneShot) {
            OptionalDouble ipm = throughput(updateName).itemsPerMilli();
            if (limits.limitsRate() && ipm.isEmpty()) {
                // The runner may have measured this update before we did (another controller ran it, or this one
                // restarted): 1 ms of its items, not durationMax; a runner without an estimate runs batch.default.
                desired = 1;
            } else if (limits.limitsRate() && ipm.getAsDouble() > 0) {
                // At least 1 ms (the API's unit): a bucket smaller than a millisecond of work would otherwise
                // shrink every batch to batch.min; the overdraft, at most 1 ms of items, is repaid by the next wait.
                desired = Math.min(desired, Math.max(1, (long) Math.floor(Math.max(0, bucket.tokens()) / ipm.getAsDouble())));
            }
            if (window.change() != null) {
                desired = Math.min(desired, Math.max(0, Duration.between(now, window.change()).toMillis()));
            }
        }
        return new Decision(0, desired, null);
    }

    /** @return the tokens the next batch needs, as described in {@link #enter} */
    private long need(String updateName, Limits limits) {
        OptionalDouble ipm = throughput(updateName).itemsPerMilli();
        long want = ipm.isPresent()
                ? Math.max(limits.batchMin(), (long) Math.floor(limits.durationMax() * ipm.getAsDouble()))
                : limits.firstBatch();
        return Math.min(want, limits.capacity());
    }

    /**
     * Accounts for a batch that is over: a completed one is charged to the bucket, the duty cycle,
     * the speed estimate and the meter; a failed one to the duty cycle only (its work was rolled
     * back); an abandoned one to nothing. Durations count to the nanosecond, as the runner counts them.
     *
     * <p>The bucket's debt is bounded by the largest batch this controller lets in: a bucket, or
     * 1 ms of items at the speed it budgeted with (the shortest duration it can ask for). A larger
     * batch (a one-shot update, or one the runner sized from an estimate we did not have) is charged
     * only down to that bound, so the next batch never waits longer than that debt and its own
     * tokens take at the rate in force.
     *
     * @param updateName the update
     * @param oneShot whether it ran in one go (its speed then says nothing about the next batches)
     * @param result what the batch did
     * @param limits the limits in force for it now
     * @param now the current time
     */
    synchronized void exit(String updateName, boolean oneShot, BatchResult result, Limits limits, Instant now) {
        long ms = now.toEpochMilli();
        phase = Phase.IDLE;
        reason = null;
        switch (result.outcome()) {
            case ABANDONED -> {
            }
            case FAILED -> duty.record(millis(result.duration()), ms);
            case COMPLETED -> {
                Throughput t = throughput(updateName);
                OptionalDouble ipm = t.itemsPerMilli();
                double overdraft = Math.max(limits.capacity(), ipm.isPresent() ? Math.ceil(ipm.getAsDouble()) : 0);
                bucket.refillAndCharge(ms, limits.rate(), limits.capacity(), result.items(), overdraft);
                duty.record(millis(result.duration()), ms);
                meter.record(ms, result.items());
                if (!oneShot) {
                    t.record(result.items(), millis(result.duration()));
                }
            }
        }
    }

    /**
     * @param limits the limits in force for the current update (the base ones if there is none)
     * @param now the current time
     * @return the state now
     */
    synchronized View view(Limits limits, Instant now) {
        long ms = now.toEpochMilli();
        bucket.refill(ms, limits.rate(), limits.capacity());
        return new View(database, update, phase, reason, phase == Phase.WAITING ? Instant.ofEpochMilli(until) : null,
                bucket.tokens(), limits, limits.windows().state(now, limits.zone()), meter.perSecond(ms));
    }

    /** @return the update of the last batch asked for, or {@code null} */
    synchronized String update() {
        return update;
    }

    private Throughput throughput(String updateName) {
        return throughputs.computeIfAbsent(updateName, u -> new Throughput());
    }

    /** @return the duration in fractional milliseconds, exactly as the runner converts it */
    static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    /**
     * The speed of one update, estimated exactly as the runner does (Synapse's
     * {@code BackgroundUpdatePerformance}), from the same inputs (durations to the nanosecond, in
     * fractional milliseconds), so that the desired duration we yield turns into the batch size we
     * budgeted for: moving averages of items and duration per batch, {@code avg += 0.1 * (x - avg)},
     * both starting at 0. (Whole milliseconds made a sub-millisecond batch last 0 ms, a speed of
     * 0, and the runner then ran a full {@code duration.max} of items: −24,100 tokens, a 25 s stall.)
     */
    static final class Throughput {
        private long totalItems;
        private double avgItems;
        private double avgDuration;

        void record(long items, double durationMillis) {
            totalItems += items;
            avgItems += 0.1 * (items - avgItems);
            avgDuration += 0.1 * (durationMillis - avgDuration);
        }

        /** @return none before any item was processed; 0 if the averaged duration is 0 */
        OptionalDouble itemsPerMilli() {
            if (totalItems == 0) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of(avgDuration == 0 ? 0 : avgItems / avgDuration);
        }
    }
}
