package io.bgupdate.jmx.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The platform registrar's configuration (PID {@value PlatformRegistrar#PID}); its presence switches it on. */
@ObjectClassDefinition(name = "bgupdate JMX on the platform MBean server",
        description = "Registers the bgupdate MXBeans on the JVM's platform MBean server (jconsole). Only where no JMX whiteboard"
                + " does (not in Karaf: its management feature does it, behind JAAS).")
@interface PlatformRegistrarConfig {

    @AttributeDefinition(name = "MBeans", description = "LDAP filter selecting the DynamicMBean services to register.")
    String mbeans_target() default "(" + DatabaseMBeans.OBJECT_NAME + "=" + io.bgupdate.jmx.BackgroundUpdatesMXBean.DOMAIN + ":*)";
}
