package io.bgupdate.adaptive.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of the adaptive controller, PID {@value AdaptiveController#PID}. Every property
 * can change while updates run and applies from the next control step; a configuration with a bad
 * value is rejected as a whole, logged in one line, and the previous one stays in force. Property
 * names follow the OSGi mapping of method names ({@code gain_up} is {@code gain.up}).
 */
@ObjectClassDefinition(
        name = "bgupdate adaptive controller",
        description = "Load-aware throttling of background updates (LEDBAT for databases): keeps the extra latency "
                + "the updates cause under a target and uses the capacity that is left.")
@interface AdaptiveConfiguration {

    @AttributeDefinition(name = "Service ranking",
            description = "Ranking of the controller service; the highest ranked controller runs the next batch "
                    + "(the runner's default controller ranks 0, the rate-limit controller 100). Must be an Integer.")
    int service_ranking() default AdaptiveController.DEFAULT_RANKING;

    @AttributeDefinition(name = "Gain up", description = "Growth of the duty cycle per second at full headroom "
            + "(duty *= exp(gain.up * headroom * dt)).", min = "0")
    double gain_up() default 1.0;

    @AttributeDefinition(name = "Gain down", description = "Decay of the duty cycle per second per unit of pressure "
            + "above target (duty *= exp(-gain.down * excess * dt)); larger than gain.up: back off fast, grow gently.", min = "0")
    double gain_down() default 3.0;

    @AttributeDefinition(name = "Duty cycle floor", description = "Least share of wall time inside batches, so "
            + "that every update finishes, in (0, duty.max].", min = "0", max = "1")
    double duty_min() default 0.02;

    @AttributeDefinition(name = "Duty cycle ceiling", description = "Largest share of wall time inside batches, in (0, 1].",
            min = "0", max = "1")
    double duty_max() default 1.0;

    @AttributeDefinition(name = "Batch duration at the floor (ms)", description = "Desired batch duration at duty.min.", min = "1")
    long duration_min() default 10;

    @AttributeDefinition(name = "Batch duration at the ceiling (ms)", description = "Desired batch duration at duty.max.", min = "1")
    long duration_max() default 100;

    @AttributeDefinition(name = "Control interval (ms)", description = "How often the law is applied and the "
            + "pressure reporters are read (also before every batch).", min = "10")
    long interval() default 100;

    @AttributeDefinition(name = "Probe", description = "Measure the latency of a probe query on a connection of its own.")
    boolean probe_enabled() default true;

    @AttributeDefinition(name = "Probe query", description = "A cheap read whose latency stands for the application's.")
    String probe_query() default "SELECT 1";

    @AttributeDefinition(name = "Probe interval (ms)", min = "10")
    long probe_interval() default 20;

    @AttributeDefinition(name = "Probe window (ms)", description = "Samples older than this no longer count; "
            + "with none left the probe reads as stale.", min = "10")
    long probe_window() default 1000;

    @AttributeDefinition(name = "Probe filter (samples)", description = "The current probe latency is the median "
            + "of this many last samples, the base the least median of as many samples taken while no batch ran: "
            + "spikes of fewer than half the samples do not count.", min = "1", max = "100")
    int probe_filter() default 9;

    @AttributeDefinition(name = "Probe target (ms)", description = "Extra probe latency over the base that counts "
            + "as 'at target' (pressure 1); the larger of this and probe.target.ratio times the base applies.", min = "0")
    double probe_target() default 1.0;

    @AttributeDefinition(name = "Probe target ratio", description = "Extra probe latency as a share of the base that "
            + "counts as 'at target'.", min = "0")
    double probe_target_ratio() default 1.0;


    @AttributeDefinition(name = "Base bucket (ms)", description = "The base latency is the least of the per-bucket "
            + "minima of samples taken while no batch ran.", min = "1000")
    long base_bucket() default 60_000;

    @AttributeDefinition(name = "Base buckets", description = "How many buckets the base remembers.", min = "1")
    int base_buckets() default 10;

    @AttributeDefinition(name = "Base re-learning (ms)", description = "When no idle sample came for this long, "
            + "the next batch waits for a few idle probes (at most 2 s).", min = "1000")
    long base_relearn() default 60_000;

    @AttributeDefinition(name = "PostgreSQL activity", description = "Read pg_stat_activity and pg_stat_replication "
            + "(PostgreSQL only).")
    boolean activity_enabled() default true;

    @AttributeDefinition(name = "Activity interval (ms)", min = "100")
    long activity_interval() default 1000;

    @AttributeDefinition(name = "Active sessions: start", description = "Active sessions (not bgupdate's) where "
            + "pressure starts to rise from 0.", min = "0")
    double active_start() default 4;

    @AttributeDefinition(name = "Active sessions: target", description = "Active sessions at pressure 1; 0 ignores them.", min = "0")
    double active_target() default 16;

    @AttributeDefinition(name = "Lock waits: start", min = "0")
    double locks_start() default 0;

    @AttributeDefinition(name = "Lock waits: target", description = "Sessions waiting on a lock at pressure 1; 0 ignores them.", min = "0")
    double locks_target() default 4;

    @AttributeDefinition(name = "Replay lag: start (ms)", min = "0")
    double lag_start() default 1000;

    @AttributeDefinition(name = "Replay lag: target (ms)", description = "Replica replay lag at pressure 1; 0 ignores it.", min = "0")
    double lag_target() default 10_000;

    @AttributeDefinition(name = "Pressure reporters", description = "Read the PressureReporter whiteboard services.")
    boolean reporters_enabled() default true;

    @AttributeDefinition(name = "Reported pressure target", description = "A reported pressure of this much counts "
            + "as 'at target'; a reported pressure of 1 holds.", min = "0", max = "1")
    double pressure_target() default 0.5;

    @AttributeDefinition(name = "Reported latency target ratio", description = "Extra reported latency, as a share of "
            + "the reporter's learned base, that counts as 'at target'.", min = "0")
    double latency_target_ratio() default 0.2;

    @AttributeDefinition(name = "Health check tags", description = "Felix Health Checks with these tags: WARN slows "
            + "down, CRITICAL holds. Empty: health checks are not read.")
    String[] healthcheck_tags() default {};

    @AttributeDefinition(name = "Health check interval (ms)", min = "100")
    long healthcheck_interval() default 1000;

    @AttributeDefinition(name = "Health check WARN pressure", description = "The pressure a WARN result counts as.", min = "0")
    double healthcheck_warn_pressure() default 2.0;
}
