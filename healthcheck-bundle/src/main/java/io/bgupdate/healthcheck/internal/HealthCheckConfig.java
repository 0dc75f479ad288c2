package io.bgupdate.healthcheck.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The health check's configuration (PID {@value BackgroundUpdatesHealthCheck#PID}). Properties
 * whose key starts with {@code hc.} (such as {@code hc.async.intervalInSec} or
 * {@code hc.resultCacheTtlInMs}) are passed on to the health check service as they are.
 */
@ObjectClassDefinition(name = "bgupdate health check",
        description = "A Felix Health Check of the background updates of every database (tag bgupdate).")
@interface HealthCheckConfig {

    @AttributeDefinition(name = "Name", description = "The health check's name (hc.name).")
    String name() default "Background updates";

    @AttributeDefinition(name = "Tags",
            description = "Tags besides bgupdate, which it always has: for the selections of load balancers and monitors.")
    String[] tags() default {};

    @AttributeDefinition(name = "MBean name",
            description = "hc.mbean.name: Felix Health Checks shows the check in JMX as"
                    + " org.apache.felix.healthcheck:type=HealthCheck,name=THIS (status, ok, log); empty: not in JMX.")
    String mbean_name() default "bgupdate";

    @AttributeDefinition(name = "Stalled after (s)", min = "0",
            description = "WARN when the current update has made no progress for this long although it is not paused; 0: never.")
    long stall__seconds() default 600;

    @AttributeDefinition(name = "Faults window (s)", min = "1",
            description = "WARN while the controller fault counts have grown within this many seconds.")
    long faults__window__seconds() default 300;
}
