package io.bgupdate.adaptive.internal;

/**
 * The control law, pure and single-threaded (its owner {@link DatabaseControl} guards it): from the
 * worst normalized pressure {@code p} of all signals (1 means "at target") it sets the duty cycle
 * (share of wall time inside batches) and the desired batch duration.
 *
 * <pre>
 *   e     = clamp(1 - p, -E_MAX, 1)                       error: headroom (+) or excess (-)
 *   duty' = clamp(duty * exp(g * e * dt), duty.min, duty.max)
 *           g = gain.up when e &gt; 0, gain.down when e &lt; 0; dt in seconds, at most 1
 *   once per batch, if p &gt; CUT (1.5):  duty' = max(duty / min(p, MAX_CUT), duty.min)      MAX_CUT = 2
 *   duration = duration.min + (duration.max - duration.min) * ln(duty/duty.min) / ln(duty.max/duty.min)
 * </pre>
 *
 * <p>Proportional in the logarithm of the duty cycle: its rate of change is proportional to the
 * error, as LEDBAT's window moves in proportion to the distance from its delay target. Under
 * target it takes what capacity is left (the duty rises until the pressure reaches the target);
 * above target it backs off faster than it grows ({@code gain.down > gain.up}). The floor
 * {@code duty.min} keeps every update moving; a critical signal (pressure reporter at 1, health
 * check CRITICAL) holds instead: no batch starts, and on release the duty restarts from the floor.
 * Time-based (by {@code dt}, not per batch), so a batch at the floor does not slow recovery; the
 * once-per-batch cut (a multiplicative decrease in proportion to the pressure, at most a halving,
 * as TCP halves on loss) makes a clear load step take effect by the next batch however short
 * batches are, while the threshold keeps noise around the target from cutting and the bound keeps
 * one outlier from throwing the duty to the floor (a real step goes on being cut, batch by batch,
 * and the continuous decay adds to it).
 */
final class ControlLaw {

    /** The largest excess counted: pressure 4 backs off as hard as anything above it. */
    static final double MAX_EXCESS = 3;
    /** The pressure above which {@link #cut()} divides the duty: a load step, not noise around the target. */
    static final double CUT = 1.5;
    /** The largest divisor of {@link #cut()}: one batch at most halves the duty. */
    static final double MAX_CUT = 2;
    /** The longest step integrated at once, in seconds: a long gap is not an accumulated error. */
    static final double MAX_STEP_SECONDS = 1;

    /**
     * The law's parameters.
     *
     * @param gainUp growth rate per second per unit of headroom (&gt; 0)
     * @param gainDown decay rate per second per unit of excess (&gt; 0)
     * @param dutyMin the floor of the duty cycle, in (0, dutyMax]
     * @param dutyMax the ceiling of the duty cycle, in (0, 1]
     * @param durationMinMillis the batch duration asked for at the floor
     * @param durationMaxMillis the batch duration asked for at the ceiling
     */
    record Gains(double gainUp, double gainDown, double dutyMin, double dutyMax, long durationMinMillis, long durationMaxMillis) {
        Gains {
            check(gainUp > 0 && gainUp <= 100, "gain.up", gainUp, "in (0, 100]");
            check(gainDown > 0 && gainDown <= 100, "gain.down", gainDown, "in (0, 100]");
            check(dutyMax > 0 && dutyMax <= 1, "duty.max", dutyMax, "in (0, 1]");
            check(dutyMin > 0 && dutyMin <= dutyMax, "duty.min", dutyMin, "in (0, duty.max]");
            check(durationMinMillis >= 1, "duration.min", durationMinMillis, "at least 1 ms");
            check(durationMaxMillis >= durationMinMillis, "duration.max", durationMaxMillis, "at least duration.min");
        }
    }

    /** Why the law is where it is. */
    enum Mode {
        /** Headroom: growing, or at the ceiling. */
        GROWING,
        /** Above target: backing off, or at the floor. */
        BACKING_OFF,
        /** A critical signal: no batch starts. */
        HOLD,
        /** No signal has a value: the duty stays where it is. */
        BLIND
    }

    private Gains gains;
    private double duty;
    private long lastMillis;
    private boolean started;
    private Mode mode = Mode.BLIND;
    private double pressure = Double.NaN;

    /** @param gains the parameters; the duty starts at the floor */
    ControlLaw(Gains gains) {
        this.gains = gains;
        this.duty = gains.dutyMin();
    }

    /** @param g new parameters: the duty is clamped into the new bounds at once */
    void gains(Gains g) {
        gains = g;
        duty = clamp(duty, g.dutyMin(), g.dutyMax());
    }

    /**
     * Integrates the law up to {@code nowMillis}.
     *
     * @param nowMillis the current time
     * @param worstPressure the worst normalized pressure of the signals (1 = at target), or NaN if none has a value
     * @param hold whether a signal is critical
     */
    void update(long nowMillis, double worstPressure, boolean hold) {
        double dt = started ? Math.min(MAX_STEP_SECONDS, Math.max(0, nowMillis - lastMillis) / 1000.0) : 0;
        started = true;
        lastMillis = nowMillis;
        pressure = worstPressure;
        if (hold) {
            mode = Mode.HOLD;
            duty = gains.dutyMin();
            return;
        }
        if (Double.isNaN(worstPressure)) {
            mode = Mode.BLIND;
            return;
        }
        double e = clamp(1 - worstPressure, -MAX_EXCESS, 1);
        double g = e > 0 ? gains.gainUp() : gains.gainDown();
        duty = clamp(duty * Math.exp(g * e * dt), gains.dutyMin(), gains.dutyMax());
        mode = e > 0 ? Mode.GROWING : Mode.BACKING_OFF;
    }

    /** Called once per batch, before it may start: divides the duty by a pressure above {@link #CUT}, at most by {@link #MAX_CUT}. */
    void cut() {
        if (mode == Mode.BACKING_OFF && pressure > CUT) {
            duty = clamp(duty / Math.min(pressure, MAX_CUT), gains.dutyMin(), gains.dutyMax());
        }
    }

    /** @return the duty cycle in force, in [duty.min, duty.max] */
    double duty() {
        return duty;
    }

    /** @return the batch duration to ask for, in ms: log-interpolated between the bounds by the duty */
    long durationMillis() {
        Gains g = gains;
        double span = Math.log(g.dutyMax() / g.dutyMin());
        double share = span <= 0 ? 1 : Math.log(duty / g.dutyMin()) / span;
        return Math.round(g.durationMinMillis() + (g.durationMaxMillis() - g.durationMinMillis()) * clamp(share, 0, 1));
    }

    /** @return why the law is where it is */
    Mode mode() {
        return mode;
    }

    /** @return the last worst pressure seen, NaN if none */
    double pressure() {
        return pressure;
    }

    /** @return whether batches must wait for a critical signal to clear */
    boolean holding() {
        return mode == Mode.HOLD;
    }

    static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    static void check(boolean ok, String name, Object value, String range) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " is not " + range);
        }
    }
}
