package io.bgupdate.adaptive.internal;

/**
 * One signal's latest value, as the law and the shell see it.
 *
 * @param signal the signal's name, e.g. {@code probe} or {@code reporter web}
 * @param value what was measured, as text for the shell
 * @param pressure the normalized pressure (1 = at target), NaN when the signal has no value now
 * @param critical whether the signal asks to hold
 * @param error why the signal has no value (failing, stale, not applicable), or {@code null}
 */
record Reading(String signal, String value, double pressure, boolean critical, String error) {

    /** @return a signal with a value */
    static Reading of(String signal, String value, double pressure) {
        return new Reading(signal, value, pressure, false, null);
    }

    /** @return a signal asking to hold */
    static Reading critical(String signal, String value) {
        return new Reading(signal, value, Double.NaN, true, null);
    }

    /** @return a signal without a value, and why */
    static Reading failing(String signal, String error) {
        return new Reading(signal, "-", Double.NaN, false, error);
    }

    /** @return whether this reading counts in the law */
    boolean counts() {
        return critical || !Double.isNaN(pressure);
    }
}
