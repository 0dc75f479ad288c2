package io.bgupdate.datasource.internal;

import java.sql.SQLException;
import java.util.Hashtable;
import java.util.Properties;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jdbc.DataSourceFactory;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.BackgroundUpdates;

/**
 * A database the operator configures, one per factory configuration: made through the JDBC
 * driver's own {@link DataSourceFactory} (PostgreSQL's registers one) and registered as a
 * {@link DataSource} named for the runner. In Karaf, pax-jdbc does this instead. The password is
 * handed to the driver and never logged.
 */
@Component(name = ConfiguredDatabase.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ConfiguredDatabaseConfig.class, factory = true)
public class ConfiguredDatabase {

    /** The factory configuration PID, and the component name. */
    public static final String FACTORY_PID = "io.bgupdate.database";

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredDatabase.class);

    @Reference(name = "driver")
    private DataSourceFactory driver;

    private ServiceRegistration<DataSource> registration;

    @Activate
    void activate(BundleContext context, ConfiguredDatabaseConfig config) throws SQLException {
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, config.url());
        if (!config.user().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_USER, config.user());
        }
        if (!config.password().isEmpty()) {
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, config.password());
        }
        DataSource dataSource = driver.createDataSource(props);
        Hashtable<String, Object> serviceProps = new Hashtable<>();
        serviceProps.put(BackgroundUpdates.DATABASE_NAME, config.name());
        registration = context.registerService(DataSource.class, dataSource, serviceProps);
        LOG.info("Database {} at {}{}", config.name(), config.url().replaceAll("(?i)(password=)[^&;]*", "$1***"),
                config.user().isEmpty() ? "" : " as " + config.user());
    }

    @Deactivate
    void deactivate() {
        registration.unregister();
    }
}
