package io.bgupdate.healthcheck.internal;

import java.time.Clock;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.BackgroundUpdates;

/**
 * The health check of every database's background updates. It registers itself as a
 * {@link HealthCheck} service, tagged {@value #TAG} and the configured tags, so that the service
 * properties can be computed from the configuration (and changed by {@code @Modified} without a
 * new registration). Each execution reads the status of every database and reports, per database,
 * a summary line and the reasons for any WARN or CRITICAL.
 */
@Component(name = BackgroundUpdatesHealthCheck.PID, immediate = true, service = {})
@Designate(ocd = HealthCheckConfig.class)
public class BackgroundUpdatesHealthCheck implements HealthCheck {

    /** The configuration PID, and the component name. */
    public static final String PID = "io.bgupdate.healthcheck";

    /** The tag the health check always has. */
    public static final String TAG = "bgupdate";

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundUpdatesHealthCheck.class);

    @Reference
    private BackgroundUpdates updates;

    private final Clock clock = Clock.systemUTC();
    /** The watches by database; guards them, so that executions are judged one at a time. */
    private final Map<String, DatabaseWatch> watches = new HashMap<>();
    private volatile Rules rules = Rules.DEFAULTS;
    private ServiceRegistration<HealthCheck> registration;

    @Activate
    void activate(BundleContext context, HealthCheckConfig config, Map<String, Object> properties) {
        rules = validated(config);
        registration = context.registerService(HealthCheck.class, this, serviceProperties(config, properties));
    }

    @Modified
    void modified(HealthCheckConfig config, Map<String, Object> properties) {
        rules = validated(config);
        registration.setProperties(serviceProperties(config, properties));
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }

    private Rules validated(HealthCheckConfig config) {
        try {
            return Rules.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("Rejected configuration {}: {}; keeping {}", PID, e.getMessage(), rules);
            return rules;
        }
    }

    private static Hashtable<String, Object> serviceProperties(HealthCheckConfig config, Map<String, Object> properties) {
        Hashtable<String, Object> props = new Hashtable<>();
        properties.forEach((k, v) -> {
            if (k.startsWith("hc.")) {
                props.put(k, v);
            }
        });
        Set<String> tags = new LinkedHashSet<>(List.of(TAG));
        for (String t : config.tags()) {
            if (!t.isBlank()) {
                tags.add(t.trim());
            }
        }
        props.put(HealthCheck.NAME, config.name());
        props.put(HealthCheck.TAGS, tags.toArray(String[]::new));
        if (!config.mbean_name().isBlank()) {
            props.put(HealthCheck.MBEAN_NAME, config.mbean_name());
        }
        return props;
    }

    @Override
    public Result execute() {
        ResultLog log = new ResultLog();
        List<String> databases = updates.databases();
        if (databases.isEmpty()) {
            log.add(new ResultLog.Entry(Result.Status.WARN, "no database is served: the runner selects no javax.sql.DataSource"));
        }
        synchronized (watches) {
            watches.keySet().retainAll(databases);
            for (String db : databases) {
                Observation o;
                try {
                    o = Observation.of(updates.status(db));
                } catch (IllegalArgumentException gone) { // no longer served
                    continue;
                } catch (RuntimeException e) {
                    log.add(new ResultLog.Entry(Result.Status.CRITICAL, db + ": no status: " + e.getMessage()));
                    continue;
                }
                watches.computeIfAbsent(db, d -> new DatabaseWatch()).assess(o, clock.instant(), rules).forEach(log::add);
            }
        }
        return new Result(log);
    }
}
