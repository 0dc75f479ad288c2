package io.bgupdate.healthcheck.internal;

import java.time.Duration;

/**
 * The limits the health check judges by, validated.
 *
 * @param stallAfter no progress for this long is a WARN; {@link Duration#ZERO}: never
 * @param faultsWindow controller faults that grew within this window are a WARN
 */
record Rules(Duration stallAfter, Duration faultsWindow) {

    static final Rules DEFAULTS = new Rules(Duration.ofMinutes(10), Duration.ofMinutes(5));

    /** @throws IllegalArgumentException with a one-line message for a value out of range */
    static Rules of(HealthCheckConfig config) {
        if (config.stall__seconds() < 0) {
            throw new IllegalArgumentException("stall_seconds must be 0 or more, not " + config.stall__seconds());
        }
        if (config.faults__window__seconds() < 1) {
            throw new IllegalArgumentException("faults_window_seconds must be 1 or more, not " + config.faults__window__seconds());
        }
        return new Rules(Duration.ofSeconds(config.stall__seconds()), Duration.ofSeconds(config.faults__window__seconds()));
    }
}
