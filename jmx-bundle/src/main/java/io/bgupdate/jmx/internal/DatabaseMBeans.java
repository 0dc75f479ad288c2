package io.bgupdate.jmx.internal;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.management.DynamicMBean;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.StandardMBean;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.jmx.BackgroundUpdatesMXBean;

/**
 * Registers one MXBean per database served, as a {@link DynamicMBean} service with the property
 * {@value #OBJECT_NAME}: the JMX whiteboard convention (Aries JMX Whiteboard, in Karaf's
 * {@code management} feature, registers such services in the MBean server; in plain Felix,
 * {@link PlatformRegistrar} does). The databases served can change at any time (DataSource
 * services come and go) and the API has no event for it: a thread named {@value #THREAD} looks
 * every {@value #PERIOD_SECONDS} seconds and registers or unregisters to match.
 */
@Component(immediate = true)
public class DatabaseMBeans {

    /** The service property of the JMX whiteboard that names an MBean. */
    static final String OBJECT_NAME = "jmx.objectname";

    static final String THREAD = "bgupdate-jmx";
    static final long PERIOD_SECONDS = 2;

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseMBeans.class);

    @Reference
    private BackgroundUpdates updates;

    private BundleContext context;
    /** The registrations by database; guarded by itself. */
    private final Map<String, ServiceRegistration<DynamicMBean>> registrations = new HashMap<>();
    private ScheduledExecutorService timer;

    @Activate
    void activate(BundleContext context) {
        this.context = context;
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, THREAD);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::reconcile, 0, PERIOD_SECONDS, TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        List<ServiceRegistration<DynamicMBean>> all;
        synchronized (registrations) {
            all = List.copyOf(registrations.values());
            registrations.clear();
        }
        all.forEach(DatabaseMBeans::unregister);
    }

    /** Registers the MXBeans of new databases and unregisters those of databases no longer served. */
    void reconcile() {
        try {
            var served = new HashSet<>(updates.databases());
            synchronized (registrations) {
                registrations.entrySet().removeIf(e -> {
                    if (served.contains(e.getKey())) {
                        return false;
                    }
                    unregister(e.getValue());
                    return true;
                });
                for (String db : served) {
                    if (!registrations.containsKey(db)) {
                        Hashtable<String, Object> props = new Hashtable<>();
                        props.put(OBJECT_NAME, Names.of(db).toString());
                        props.put(BackgroundUpdates.DATABASE_NAME, db);
                        registrations.put(db, context.registerService(DynamicMBean.class, mbean(db), props));
                        LOG.debug("Registered the MXBean {}", props.get(OBJECT_NAME));
                    }
                }
            }
        } catch (Throwable t) { // keep the timer alive
            LOG.warn("Could not update the bgupdate MXBeans: {}", t.toString(), t);
        }
    }

    private DynamicMBean mbean(String database) {
        return new StandardMBean(new DatabaseMXBean(updates, database), BackgroundUpdatesMXBean.class, true) {
            @Override
            protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
                return op.getName().equals("startJob") ? "updateName" : super.getParameterName(op, param, sequence);
            }
        };
    }

    private static void unregister(ServiceRegistration<?> r) {
        try {
            r.unregister();
        } catch (IllegalStateException alreadyGone) {
            // the bundle is stopping
        }
    }
}
