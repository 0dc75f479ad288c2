package io.bgupdate.ratelimit.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the rate-limit controller, PID {@value RateLimitController#PID}. Every
 * property can change while updates run; the change applies from the next batch. A configuration
 * with a bad value (out of range, or of the wrong type as written: see {@link ConfigurationCheck})
 * is rejected as a whole, logged in one line, and the previous one stays in force; unknown keys are
 * named in a warning and ignored.
 * Property names follow the OSGi mapping of method names ({@code batch_min} is {@code batch.min}).
 */
@ObjectClassDefinition(
        name = "bgupdate rate-limit controller",
        description = "Throttles background updates by items per second, duty cycle and time windows.")
@interface RateLimitConfiguration {

    @AttributeDefinition(name = "Service ranking",
            description = "Ranking of the controller service; the highest ranked controller runs the next batch "
                    + "(the runner's built-in default controller ranks 0). Must be an Integer.")
    int service_ranking() default RateLimitController.DEFAULT_RANKING;

    @AttributeDefinition(name = "Items per second",
            description = "Rate the token bucket refills with; 0 for no rate limit.", min = "0")
    double rate() default Limits.DEFAULT_RATE;

    @AttributeDefinition(name = "Burst",
            description = "Capacity of the token bucket in items; 0 for one second of the rate.", min = "0")
    long burst() default Limits.DEFAULT_BURST;

    @AttributeDefinition(name = "Duty cycle",
            description = "Largest share of wall time spent inside batches, in (0, 1]: after a batch busy b ms "
                    + "the next waits b*(1-duty)/duty ms. Default 1/11: Synapse's 100 ms per 1100 ms.")
    double duty() default Limits.DEFAULT_DUTY;

    @AttributeDefinition(name = "Time windows",
            description = "When batches may start, e.g. 'Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00'; "
                    + "empty for always. Outside a window entering waits until the next one opens.")
    String windows() default Limits.DEFAULT_WINDOWS;

    @AttributeDefinition(name = "Time zone",
            description = "Zone the windows are read in, e.g. Europe/Berlin; empty for the JVM's default.")
    String zone() default Limits.DEFAULT_ZONE;

    @AttributeDefinition(name = "Default batch size",
            description = "Items of the first batch of an update (lowered to the burst under a rate limit).", min = "1")
    int batch_default() default Limits.DEFAULT_BATCH_DEFAULT;

    @AttributeDefinition(name = "Minimum batch size", description = "Least items of any batch.", min = "1")
    int batch_min() default Limits.DEFAULT_BATCH_MIN;

    @AttributeDefinition(name = "Maximum batch duration",
            description = "Longest batch asked for, in ms; shortened to fit the tokens and the window.", min = "1")
    long duration_max() default Limits.DEFAULT_DURATION_MAX;

    @AttributeDefinition(name = "Overrides",
            description = "Limits for one update and/or database, e.g. 'update:events_purge rate=5000 duty=0.5' or "
                    + "'database:archive windows=\"Sat-Sun 00:00-24:00\"'. Keys: rate, burst, duty, windows, zone, "
                    + "batch.default, batch.min, duration.max.")
    String[] overrides() default {};
}
