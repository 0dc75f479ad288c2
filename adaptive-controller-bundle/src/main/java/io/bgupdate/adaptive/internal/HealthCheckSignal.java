package io.bgupdate.adaptive.internal;

import java.util.List;

/**
 * The Felix Health Checks signal, behind an interface of this bundle so that the controller loads
 * no Health Check class when that optional package is missing ({@link FelixHealthChecks} does).
 */
interface HealthCheckSignal {

    /** The signal's name in readings. */
    String SIGNAL = "healthchecks";

    /**
     * Runs the checks with any of {@code tags}; may take as long as the checks do.
     *
     * @param tags the tags, not empty
     * @param warnPressure the pressure a WARN counts as
     * @return the worst result as a reading: WARN or TEMPORARILY_UNAVAILABLE slow down, CRITICAL
     *         holds, HEALTH_CHECK_ERROR (the check itself failed) is a failing signal
     */
    Reading sample(List<String> tags, double warnPressure);
}
