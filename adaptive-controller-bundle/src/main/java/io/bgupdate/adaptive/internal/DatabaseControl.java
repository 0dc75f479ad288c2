package io.bgupdate.adaptive.internal;

import java.util.List;

/**
 * The control of one database, without threads or I/O: its {@link ControlLaw}, its probe
 * estimator, the batch in flight and the duty-cycle rest. The controller (and the simulation)
 * calls {@link #step} with the signals' readings and asks {@link #decide} whether a batch may
 * start. Thread-safe: one lock (this object) guards all.
 */
final class DatabaseControl {

    /** The longest a batch waits for the base to be re-learned before it goes anyway. */
    static final long MAX_LEARNING_MILLIS = 2000;
    /** After this long without a batch asking, the database's signals stop sampling (no probe load on an idle database). */
    static final long DORMANT_MILLIS = 60_000;
    /** Idle probes taken before the base counts as re-learned (and at least as many as the probe filter needs for a base). */
    static final int LEARNING_SAMPLES = 3;

    /**
     * Whether a batch may start.
     *
     * @param waitMillis 0 to go now, else how long to wait before asking again
     * @param durationMillis the desired batch duration, when it may go
     * @param reason why it waits, for the shell ({@code null} when it goes)
     */
    record Decision(long waitMillis, long durationMillis, String reason) {
        boolean go() {
            return waitMillis == 0;
        }
    }

    /**
     * The law's inputs and outputs at the last step, for the shell.
     *
     * @param readings every signal's reading
     * @param limiting the signal with the worst pressure (or holding), {@code null} if none counts
     * @param mode the law's mode
     * @param duty the duty cycle in force
     * @param durationMillis the batch duration in force
     * @param base the probe's learned base, NaN if none
     * @param batching whether a batch is in flight
     * @param waiting why the next batch waits, {@code null} if it need not
     */
    record View(String database, List<Reading> readings, Reading limiting, ControlLaw.Mode mode, double duty,
            long durationMillis, double base, boolean batching, String waiting) {
    }

    private final String database;
    private final ProbeEstimator probe = new ProbeEstimator();
    private final ControlLaw law;
    private List<Reading> readings = List.of();
    private Reading limiting;
    private boolean batching;
    private long batchesStarted;
    private boolean recorded;
    private long lastBusy;
    private long lastEnd;
    /** Whether the next {@link #decide} applies {@link ControlLaw#cut()}: once per batch. */
    private boolean cutPending;
    private long learningSince = Long.MIN_VALUE;
    private long learningFromIdle;
    private long lastAsked = Long.MIN_VALUE;

    /**
     * @param database the database's name
     * @param gains the law's parameters
     */
    DatabaseControl(String database, ControlLaw.Gains gains) {
        this.database = database;
        this.law = new ControlLaw(gains);
    }

    /** @return the probe's estimator, fed by the probe */
    ProbeEstimator probe() {
        return probe;
    }

    String database() {
        return database;
    }

    /**
     * Applies the law to the signals' latest readings.
     *
     * @param nowMillis the current time
     * @param all every signal's reading, the probe's included
     * @param s the settings in force
     */
    synchronized void step(long nowMillis, List<Reading> all, AdaptiveSettings s) {
        law.gains(s.gains());
        Reading worst = null;
        boolean hold = false;
        for (Reading r : all) {
            if (r.critical()) {
                if (!hold) {
                    worst = r;
                }
                hold = true;
            } else if (!hold && !Double.isNaN(r.pressure()) && (worst == null || r.pressure() > worst.pressure())) {
                worst = r;
            }
        }
        law.update(nowMillis, worst == null ? Double.NaN : worst.pressure(), hold);
        readings = List.copyOf(all);
        limiting = worst;
    }

    /**
     * @param nowMillis the current time
     * @param s the settings in force
     * @return whether the next batch may start now
     */
    synchronized Decision decide(long nowMillis, AdaptiveSettings s) {
        lastAsked = nowMillis;
        return decide(nowMillis, s, true);
    }

    /** @return whether no batch has asked for {@link #DORMANT_MILLIS} and none runs: sampling may stop */
    synchronized boolean dormant(long nowMillis) {
        return !batching && (lastAsked == Long.MIN_VALUE || nowMillis - lastAsked > DORMANT_MILLIS);
    }

    /** @param apply whether this is a batch asking (the cut and a learning pause take effect), not the shell looking */
    private Decision decide(long nowMillis, AdaptiveSettings s, boolean apply) {
        if (law.holding()) {
            return new Decision(s.intervalMillis(), 0, "hold: " + limiting.signal() + " is critical");
        }
        if (apply ? learning(nowMillis, s) : learningSince != Long.MIN_VALUE) {
            return new Decision(Math.max(1, s.probeIntervalMillis()), 0, "learning the base latency");
        }
        if (apply && cutPending) {
            cutPending = false;
            law.cut();
        }
        double duty = law.duty();
        if (recorded && duty < 1) {
            long rest = lastEnd + Math.round(lastBusy * (1 - duty) / duty) - nowMillis;
            if (rest > 0) {
                return new Decision(rest, 0, "duty cycle rest");
            }
        }
        return new Decision(0, law.durationMillis(), null);
    }

    /** Whether the next batch waits so that the probe can take idle samples for the base. */
    private boolean learning(long nowMillis, AdaptiveSettings s) {
        if (!s.probe() || !probe.working(nowMillis, 5 * s.probeIntervalMillis() + 1000)) {
            learningSince = Long.MIN_VALUE;
            return false;
        }
        boolean stale = Double.isNaN(probe.base(nowMillis)) || nowMillis - probe.lastIdleMillis() > s.baseRelearnMillis();
        if (learningSince == Long.MIN_VALUE) {
            if (!stale) {
                return false;
            }
            learningSince = nowMillis;
            learningFromIdle = probe.idleSamples();
        }
        if ((probe.idleSamples() - learningFromIdle >= LEARNING_SAMPLES && !Double.isNaN(probe.base(nowMillis)))
                || nowMillis - learningSince >= MAX_LEARNING_MILLIS) {
            learningSince = Long.MIN_VALUE;
            return false;
        }
        return true;
    }

    /** A batch starts. */
    synchronized void entered() {
        batching = true;
        batchesStarted++;
    }

    /**
     * A batch is over, or was abandoned.
     *
     * @param busyMillis how long the handler ran
     * @param nowMillis the current time
     */
    synchronized void exited(long busyMillis, long nowMillis) {
        if (!batching) {
            return;
        }
        batching = false;
        recorded = true;
        cutPending = true;
        lastBusy = Math.max(0, busyMillis);
        lastEnd = nowMillis;
    }

    /** @return a token that changes whenever a batch starts, or -1 while one runs: equal tokens around a probe mean it was idle */
    synchronized long idleToken() {
        return batching ? -1 : batchesStarted;
    }

    synchronized boolean batching() {
        return batching;
    }

    synchronized double duty() {
        return law.duty();
    }

    synchronized long durationMillis() {
        return law.durationMillis();
    }

    synchronized ControlLaw.Mode mode() {
        return law.mode();
    }

    /** @return the state for the shell */
    synchronized View view(long nowMillis, AdaptiveSettings s) {
        Decision d = batching ? null : decide(nowMillis, s, false);
        return new View(database, readings, limiting, law.mode(), law.duty(), law.durationMillis(), probe.base(nowMillis),
                batching, d == null || d.go() ? null : d.reason());
    }
}
