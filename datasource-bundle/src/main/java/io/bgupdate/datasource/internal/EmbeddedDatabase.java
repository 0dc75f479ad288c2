package io.bgupdate.datasource.internal;

import java.nio.file.Path;
import java.sql.Connection;
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
 * The database a Felix with no configuration runs on: H2 in a file, made through H2's own
 * {@link DataSourceFactory} and registered as a {@link DataSource} named
 * {@value BackgroundUpdates#DEFAULT_DATABASE}. One connection is kept open while it is active,
 * so that H2 keeps the database open between batches, and closed on deactivation, which closes
 * the file.
 */
@Component(name = EmbeddedDatabase.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = EmbeddedDatabaseConfig.class)
public class EmbeddedDatabase {

    /** The configuration PID, and the component name. */
    public static final String PID = "io.bgupdate.embedded";

    /** The framework property naming the directory of the database file. */
    public static final String DATA_DIR = "bgupdate.data.dir";

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);

    @Reference(target = "(" + DataSourceFactory.OSGI_JDBC_DRIVER_CLASS + "=org.h2.Driver)")
    private DataSourceFactory h2;

    private Connection keepOpen;
    private ServiceRegistration<DataSource> registration;

    @Activate
    void activate(BundleContext context, EmbeddedDatabaseConfig config) throws SQLException {
        if (!config.enabled()) {
            LOG.info("Embedded database disabled by configuration");
            return;
        }
        String url = config.url().isBlank() ? defaultUrl(context) : config.url();
        Properties props = new Properties();
        props.setProperty(DataSourceFactory.JDBC_URL, url);
        DataSource dataSource = h2.createDataSource(props);
        keepOpen = dataSource.getConnection();
        Hashtable<String, Object> serviceProps = new Hashtable<>();
        serviceProps.put(BackgroundUpdates.DATABASE_NAME, config.name());
        registration = context.registerService(DataSource.class, dataSource, serviceProps);
        LOG.info("Embedded database {} at {}", config.name(), url);
    }

    @Deactivate
    void deactivate() throws SQLException {
        if (registration != null) {
            registration.unregister();
        }
        if (keepOpen != null) {
            keepOpen.close();
        }
    }

    private static String defaultUrl(BundleContext context) {
        String dir = context.getProperty(DATA_DIR);
        Path file = Path.of(dir == null ? "data" : dir).toAbsolutePath().resolve("bgupdate");
        return "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"; // durable at commit: a kill -9 loses no committed batch
    }
}
