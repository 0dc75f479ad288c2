package io.bgupdate.examples.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.handler.UpdateHandler;

/**
 * The example application: on activation it starts creating its schema in the database (and,
 * in an empty one, its data) on a thread of its own, {@link SchemaPreparation}, and once they
 * exist registers its background updates as {@link UpdateHandler} services. They are
 * registered by this component rather than as components of their own so that no handler can
 * run before the data it works on exists.
 *
 * <p>Activation returns at once (generating 200,000 events takes H2 several seconds, once), so
 * neither the framework's start nor Karaf's {@code feature:install} waits for it. Meanwhile the
 * component registers a marker service ({@code java.lang.Object}) with the property
 * {@value #PREPARING}, which tells watchers (the host's {@code --until-complete}) that updates
 * are still to come. A JDK type, so that it works in every container (Karaf 4.4 exports no
 * {@code org.osgi.service.condition}).
 */
@Component(name = ExampleApplication.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = ExamplesConfig.class)
public class ExampleApplication {

    /** The configuration PID, and the component name. */
    public static final String PID = "io.bgupdate.examples";

    /**
     * Service property (String, the database name) of the marker service registered while the
     * schema is prepared and the updates are not yet registered.
     */
    public static final String PREPARING = "bgupdate.preparing";

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApplication.class);
    private static final Duration STOP_DEADLINE = Duration.ofSeconds(10);

    private DataSource dataSource;
    private String databaseName;
    private SchemaPreparation preparation;
    /** Guards {@link #registrations} and {@link #closed}: the preparation's thread registers, deactivate unregisters. */
    private final Object lock = new Object();
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    private boolean closed;

    /** The database is named as the runner names it: {@code bgupdate.database}, else pax-jdbc's {@code dataSourceName}. */
    @Reference(name = "dataSource", target = "(" + BackgroundUpdates.DATABASE_NAME + "=" + BackgroundUpdates.DEFAULT_DATABASE + ")")
    void bindDataSource(DataSource ds, Map<String, Object> props) {
        this.dataSource = ds;
        this.databaseName = String.valueOf(props.getOrDefault(BackgroundUpdates.DATABASE_NAME, props.get("dataSourceName")));
    }

    @Activate
    void activate(BundleContext context, ExamplesConfig config) {
        if (config.rows() < 0 || config.retention__days() < 1) {
            throw new IllegalArgumentException("rows must be 0 or more and retention_days at least 1, not "
                    + config.rows() + " and " + config.retention__days());
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PREPARING, databaseName);
        ServiceRegistration<?> preparing = context.registerService(Object.class.getName(), new Object(), props);
        Duration retention = Duration.ofDays(config.retention__days());
        preparation = new SchemaPreparation(dataSource, databaseName, config.rows(), schema -> {
            for (ExampleUpdates.Registration r : ExampleUpdates.all(retention, Clock.systemUTC())) {
                keep(context.registerService(UpdateHandler.class, r.handler(), r.properties(databaseName)));
            }
        }, () -> unregister(preparing));
        preparation.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        if (!preparation.stop(STOP_DEADLINE)) {
            LOG.warn("Database {}: the example schema's thread did not stop within {} s", databaseName, STOP_DEADLINE.toSeconds());
        }
        List<ServiceRegistration<?>> left;
        synchronized (lock) {
            closed = true;
            left = new ArrayList<>(registrations);
            registrations.clear();
        }
        left.forEach(ExampleApplication::unregister);
    }

    /** Keeps a registration for deactivate, or undoes it if deactivate has come already. */
    private void keep(ServiceRegistration<?> registration) {
        synchronized (lock) {
            if (!closed) {
                registrations.add(registration);
                return;
            }
        }
        unregister(registration);
    }

    private static void unregister(ServiceRegistration<?> registration) {
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // unregistered already: the bundle is stopping
        }
    }
}
