package io.bgupdate.examples.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
 * The example application: on activation it creates its schema in the database (and, in an
 * empty one, its data), then registers its background updates as {@link UpdateHandler}
 * services. They are registered by this component rather than as components of their own so
 * that no handler can run before the data it works on exists.
 *
 * <p>Activation is synchronous: generating 200,000 events takes H2 several seconds, once. The
 * distribution starts this bundle at a start level of its own, after the shell, so the shell is
 * ready meanwhile, and so that the framework's STARTED event means the updates are registered.
 */
@Component(name = ExampleApplication.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = ExamplesConfig.class)
public class ExampleApplication {

    /** The configuration PID, and the component name. */
    public static final String PID = "io.bgupdate.examples";

    private static final Logger LOG = LoggerFactory.getLogger(ExampleApplication.class);

    private DataSource dataSource;
    private String databaseName;
    private final List<ServiceRegistration<UpdateHandler>> registrations = new ArrayList<>();

    /** The database is named as the runner names it: {@code bgupdate.database}, else pax-jdbc's {@code dataSourceName}. */
    @Reference(name = "dataSource", target = "(" + BackgroundUpdates.DATABASE_NAME + "=" + BackgroundUpdates.DEFAULT_DATABASE + ")")
    void bindDataSource(DataSource ds, Map<String, Object> props) {
        this.dataSource = ds;
        this.databaseName = String.valueOf(props.getOrDefault(BackgroundUpdates.DATABASE_NAME, props.get("dataSourceName")));
    }

    @Activate
    void activate(BundleContext context, ExamplesConfig config) throws SQLException {
        if (config.rows() < 0 || config.retention__days() < 1) {
            throw new IllegalArgumentException("rows must be 0 or more and retention_days at least 1, not "
                    + config.rows() + " and " + config.retention__days());
        }
        ExampleSchema.Outcome schema = ExampleSchema.createIfAbsent(dataSource, config.rows(), System.currentTimeMillis());
        if (schema.created()) {
            LOG.info("Database {}: created the example schema with {} events in {} rooms in {} ms", databaseName,
                    schema.events(), schema.rooms(), schema.millis());
        } else {
            LOG.info("Database {}: example schema present ({} events in {} rooms)", databaseName, schema.events(), schema.rooms());
        }
        for (ExampleUpdates.Registration r : ExampleUpdates.all(Duration.ofDays(config.retention__days()), Clock.systemUTC())) {
            registrations.add(context.registerService(UpdateHandler.class, r.handler(), r.properties(databaseName)));
        }
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }
}
