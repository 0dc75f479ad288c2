package io.bgupdate.itests;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.jdbc.DataSourceFactory;

/**
 * A database of its own, new and empty (an H2 file, or a PostgreSQL database in the test cluster),
 * behind a {@link DataSource} that refuses every new connection while {@link #down} is set: an
 * unreachable database, injected.
 */
final class FlakyDatabase {

    final AtomicBoolean down = new AtomicBoolean();
    final DataSource dataSource;

    FlakyDatabase(BundleContext context) throws Exception {
        Await.until("a DataSourceFactory", () -> context.getServiceReference(DataSourceFactory.class) != null);
        DataSourceFactory driver = context.getService(context.getServiceReference(DataSourceFactory.class));
        Properties props = new Properties();
        if (TestDatabase.postgres()) {
            Properties admin = new Properties();
            admin.setProperty(DataSourceFactory.JDBC_URL, TestDatabase.pgUrl("postgres"));
            admin.setProperty(DataSourceFactory.JDBC_USER, TestDatabase.pgUser());
            admin.setProperty(DataSourceFactory.JDBC_PASSWORD, TestDatabase.pgPassword());
            props.setProperty(DataSourceFactory.JDBC_URL, TestDatabase.pgUrl(TestDatabase.createPgDatabase(driver.createDataSource(admin))));
            props.setProperty(DataSourceFactory.JDBC_USER, TestDatabase.pgUser());
            props.setProperty(DataSourceFactory.JDBC_PASSWORD, TestDatabase.pgPassword());
        } else {
            props.setProperty(DataSourceFactory.JDBC_URL, "jdbc:h2:file:" + Felix.newDataDir().resolve("flaky") + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        DataSource real = driver.createDataSource(props);
        dataSource = (DataSource) Proxy.newProxyInstance(FlakyDatabase.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("getConnection") && down.get()) {
                        throw new SQLException("planned: connection refused", "08001");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
