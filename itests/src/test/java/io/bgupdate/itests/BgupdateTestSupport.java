package io.bgupdate.itests;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.sql.DataSource;

import org.junit.After;
import org.junit.Before;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.jdbc.DataSourceFactory;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/** What every in-framework test uses: the services, registering handlers and controllers, configuring the runner. */
public abstract class BgupdateTestSupport {

    static final String DB = BackgroundUpdates.DEFAULT_DATABASE;

    @Inject
    protected BundleContext context;

    @Inject
    protected BackgroundUpdates updates;

    /** The embedded database, new for each test. */
    protected DataSource db;

    @Inject
    protected ConfigurationAdmin configAdmin;

    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    /**
     * Points the embedded database at a new file, through its configuration, and waits until
     * the runner serves it: every test starts on an empty database.
     */
    @Before
    public void freshDatabase() throws Exception {
        String url = TestDatabase.postgres() ? newPostgresDatabase() : newEmbeddedDatabase();
        Await.until("the database at " + url, () -> {
            db = database(url);
            return db != null && updates.databases().contains(DB);
        });
        awaitStatus("the runner on the new database", s -> s.state() == io.bgupdate.api.RunnerState.COMPLETE);
    }

    /** Points the embedded H2 database at a new file, through its configuration. */
    private String newEmbeddedDatabase() throws IOException {
        String url = "jdbc:h2:file:" + Felix.newDataDir().resolve("bgupdate") + ";DB_CLOSE_ON_EXIT=FALSE";
        configAdmin.getConfiguration("io.bgupdate.embedded", "?").update(new Hashtable<>(Map.of("url", url)));
        return url;
    }

    /** Creates a PostgreSQL database and configures it as "main", through PostgreSQL's DataSourceFactory. */
    private String newPostgresDatabase() throws Exception {
        Await.until("PostgreSQL's DataSourceFactory", () -> context.getServiceReference(DataSourceFactory.class) != null);
        DataSourceFactory driver = context.getService(context.getServiceReference(DataSourceFactory.class));
        java.util.Properties admin = new java.util.Properties();
        admin.setProperty(DataSourceFactory.JDBC_URL, TestDatabase.pgUrl("postgres"));
        admin.setProperty(DataSourceFactory.JDBC_USER, TestDatabase.pgUser());
        admin.setProperty(DataSourceFactory.JDBC_PASSWORD, TestDatabase.pgPassword());
        String url = TestDatabase.pgUrl(TestDatabase.createPgDatabase(driver.createDataSource(admin)));
        configAdmin.createFactoryConfiguration("io.bgupdate.database", "?").update(new Hashtable<>(Map.of(
                "name", DB, "url", url, "user", TestDatabase.pgUser(), "password", TestDatabase.pgPassword())));
        return url;
    }

    private static String withoutParameters(String url) {
        return url.split("[;?]", 2)[0];
    }

    private DataSource database(String url) {
        try {
            for (ServiceReference<DataSource> ref : context.getServiceReferences(DataSource.class,
                    "(" + BackgroundUpdates.DATABASE_NAME + "=" + DB + ")")) {
                DataSource ds = context.getService(ref);
                try (java.sql.Connection conn = ds.getConnection()) {
                    if (withoutParameters(url).equals(withoutParameters(conn.getMetaData().getURL()))) {
                        return ds;
                    }
                }
            }
            return null;
        } catch (Exception e) {
            return null;
        }
    }

    @After
    public void unregisterAll() {
        for (ServiceRegistration<?> r : registrations) {
            try {
                r.unregister();
            } catch (IllegalStateException alreadyGone) {
                // unregistered by the test
            }
        }
    }

    /** Configures the runner and waits until its component runs with the configuration. */
    protected void configureRunner(Map<String, Object> values) throws IOException {
        Configuration c = configAdmin.getConfiguration("io.bgupdate.runner", "?");
        Dictionary<String, Object> props = new Hashtable<>(values);
        c.update(props);
        Await.until("runner configuration " + values, () -> {
            ServiceReference<BackgroundUpdates> ref = context.getServiceReference(BackgroundUpdates.class);
            return ref != null && values.entrySet().stream().allMatch(e -> e.getValue().equals(ref.getProperty(e.getKey())));
        });
    }

    /** A fast default controller: no sleep. */
    protected void noSleep() throws IOException {
        configureRunner(Map.of("sleep_enabled", false));
    }

    protected ServiceRegistration<UpdateHandler> handler(String name, UpdateHandler handler, Object... keyValues) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(UpdateProperties.NAME, name);
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put((String) keyValues[i], keyValues[i + 1]);
        }
        return track(context.registerService(UpdateHandler.class, handler, props));
    }

    protected ServiceRegistration<BackgroundUpdateController> controller(BackgroundUpdateController c, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, ranking);
        return track(context.registerService(BackgroundUpdateController.class, c, props));
    }

    private <T> ServiceRegistration<T> track(ServiceRegistration<T> r) {
        registrations.add(r);
        return r;
    }

    protected void awaitCompleted(String update) throws Exception {
        try {
            updates.whenCompleted(update, DB).toCompletableFuture().get(Await.LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("update " + update + " did not complete; status: " + status(), e);
        }
        assertTrue(updates.hasCompleted(update, DB));
    }

    protected DatabaseStatus status() {
        return updates.status(DB);
    }

    protected void awaitStatus(String what, java.util.function.Predicate<DatabaseStatus> condition) {
        Await.until(what, Await.LONG, () -> condition.test(status()), () -> "; status: " + status());
    }

    static void pauseFor(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
    }
}
