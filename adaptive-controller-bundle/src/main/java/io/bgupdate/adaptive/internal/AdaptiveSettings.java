package io.bgupdate.adaptive.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One configuration of the controller, checked as a whole; immutable, swapped in one volatile write.
 * See {@link AdaptiveConfiguration} for the meaning of each value.
 */
record AdaptiveSettings(int ranking, ControlLaw.Gains gains, long intervalMillis,
        boolean probe, String probeQuery, long probeIntervalMillis, long probeWindowMillis, int probeFilter, double probeTargetMillis,
        double probeTargetRatio, long baseBucketMillis, int baseBuckets, long baseRelearnMillis,
        boolean activity, long activityIntervalMillis, Band active, Band locks, Band lag,
        boolean reporters, double pressureTarget, double latencyTargetRatio,
        List<String> healthCheckTags, long healthCheckIntervalMillis, double healthCheckWarnPressure) {

    /**
     * A proportional band: pressure 0 up to {@code start}, rising linearly to 1 at {@code target},
     * and on above it in proportion. A target of 0 switches the metric off.
     *
     * @param start where pressure starts to rise
     * @param target where pressure is 1
     */
    record Band(double start, double target) {
        Band {
            if (!(start >= 0) || !(target >= 0) || (target > 0 && target <= start)) {
                throw new IllegalArgumentException("band " + start + ".." + target + ": need 0 <= start < target (or target 0 for off)");
            }
        }

        /** @return the pressure of {@code value}, NaN when off */
        double pressure(double value) {
            return target == 0 ? Double.NaN : Math.max(0, (value - start) / (target - start));
        }
    }

    /** The settings without configuration: the defaults of {@link AdaptiveConfiguration}. */
    static final AdaptiveSettings DEFAULTS = from((AdaptiveConfiguration) java.lang.reflect.Proxy.newProxyInstance(
            AdaptiveConfiguration.class.getClassLoader(), new Class<?>[] {AdaptiveConfiguration.class},
            (proxy, method, args) -> method.getDefaultValue()));

    AdaptiveSettings {
        Objects.requireNonNull(probeQuery, "probe.query");
        ControlLaw.check(!probeQuery.isBlank(), "probe.query", "''", "a query");
        ControlLaw.check(intervalMillis >= 10, "interval", intervalMillis, "at least 10 ms");
        ControlLaw.check(probeIntervalMillis >= 10, "probe.interval", probeIntervalMillis, "at least 10 ms");
        ControlLaw.check(probeWindowMillis >= probeIntervalMillis, "probe.window", probeWindowMillis, "at least probe.interval");
        ControlLaw.check(probeFilter >= 1 && probeFilter <= 100, "probe.filter", probeFilter, "in [1, 100]");
        ControlLaw.check(probeTargetMillis >= 0 && probeTargetRatio >= 0 && probeTargetMillis + probeTargetRatio > 0,
                "probe.target", probeTargetMillis + " ms / ratio " + probeTargetRatio, "non-negative with one of them above 0");
        ControlLaw.check(baseBucketMillis >= 1000, "base.bucket", baseBucketMillis, "at least 1000 ms");
        ControlLaw.check(baseBuckets >= 1, "base.buckets", baseBuckets, "at least 1");
        ControlLaw.check(baseRelearnMillis >= 1000, "base.relearn", baseRelearnMillis, "at least 1000 ms");
        ControlLaw.check(activityIntervalMillis >= 100, "activity.interval", activityIntervalMillis, "at least 100 ms");
        ControlLaw.check(pressureTarget > 0 && pressureTarget <= 1, "pressure.target", pressureTarget, "in (0, 1]");
        ControlLaw.check(latencyTargetRatio > 0, "latency.target.ratio", latencyTargetRatio, "above 0");
        ControlLaw.check(healthCheckIntervalMillis >= 100, "healthcheck.interval", healthCheckIntervalMillis, "at least 100 ms");
        ControlLaw.check(healthCheckWarnPressure >= 0, "healthcheck.warn.pressure", healthCheckWarnPressure, "0 or more");
        healthCheckTags = List.copyOf(healthCheckTags);
    }

    /**
     * @param c the typed configuration
     * @return the settings it describes
     * @throws IllegalArgumentException with a one-line message when a value is out of range
     */
    static AdaptiveSettings from(AdaptiveConfiguration c) {
        return new AdaptiveSettings(c.service_ranking(),
                new ControlLaw.Gains(c.gain_up(), c.gain_down(), c.duty_min(), c.duty_max(), c.duration_min(), c.duration_max()),
                c.interval(), c.probe_enabled(), c.probe_query(), c.probe_interval(), c.probe_window(), c.probe_filter(), c.probe_target(),
                c.probe_target_ratio(), c.base_bucket(), c.base_buckets(), c.base_relearn(),
                c.activity_enabled(), c.activity_interval(), band("active", c.active_start(), c.active_target()),
                band("locks", c.locks_start(), c.locks_target()), band("lag", c.lag_start(), c.lag_target()),
                c.reporters_enabled(), c.pressure_target(), c.latency_target_ratio(),
                c.healthcheck_tags() == null ? List.of()
                        : Arrays.stream(c.healthcheck_tags()).filter(t -> t != null && !t.isBlank()).map(String::trim).toList(),
                c.healthcheck_interval(), c.healthcheck_warn_pressure());
    }

    private static Band band(String name, double start, double target) {
        try {
            return new Band(start, target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ".start/" + name + ".target: " + e.getMessage());
        }
    }

    /**
     * @param base the learned base latency in ms
     * @return the extra probe latency at pressure 1
     */
    double probeTarget(double base) {
        return Math.max(probeTargetMillis, probeTargetRatio * base);
    }
}
