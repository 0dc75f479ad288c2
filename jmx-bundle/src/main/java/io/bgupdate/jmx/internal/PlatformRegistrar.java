package io.bgupdate.jmx.internal;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.DynamicMBean;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small JMX whiteboard for a framework without one (the Felix host): registers the MBean
 * services it selects on the JVM's platform MBean server under their {@code jmx.objectname}, and
 * unregisters them when they go. Runs only when configured (PID {@value #PID}), so that it never
 * competes with Karaf's management feature, which registers the same services behind JAAS.
 */
@Component(name = PlatformRegistrar.PID, configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true, service = {})
@Designate(ocd = PlatformRegistrarConfig.class)
public class PlatformRegistrar {

    /** The configuration PID, and the component name. */
    public static final String PID = "io.bgupdate.jmx.platform";

    private static final Logger LOG = LoggerFactory.getLogger(PlatformRegistrar.class);

    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    /** The names this registrar registered, by service. */
    private final Map<ServiceReference<DynamicMBean>, ObjectName> registered = new ConcurrentHashMap<>();

    @Reference(name = "mbeans", service = DynamicMBean.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(" + DatabaseMBeans.OBJECT_NAME + "=io.bgupdate:*)")
    void addMBean(DynamicMBean mbean, ServiceReference<DynamicMBean> ref) {
        try {
            ObjectName name = new ObjectName(String.valueOf(ref.getProperty(DatabaseMBeans.OBJECT_NAME)));
            server.registerMBean(mbean, name);
            registered.put(ref, name);
            LOG.info("Registered {} on the platform MBean server", name);
        } catch (JMException | RuntimeException e) {
            LOG.error("Could not register the MBean {} on the platform MBean server: {}", ref.getProperty(DatabaseMBeans.OBJECT_NAME), e.toString());
        }
    }

    void removeMBean(ServiceReference<DynamicMBean> ref) {
        ObjectName name = registered.remove(ref);
        if (name != null) {
            unregister(name);
        }
    }

    @Deactivate
    void deactivate() {
        registered.values().forEach(this::unregister);
        registered.clear();
    }

    private void unregister(ObjectName name) {
        try {
            server.unregisterMBean(name);
        } catch (JMException e) {
            LOG.debug("Could not unregister {}: {}", name, e.toString());
        }
    }
}
