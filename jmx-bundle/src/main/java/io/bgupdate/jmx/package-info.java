/**
 * The JMX view of background updates: {@link io.bgupdate.jmx.BackgroundUpdatesMXBean}, one MBean
 * per database, named {@code io.bgupdate:type=BackgroundUpdates,database=NAME}. JMX clients need
 * nothing from here (an MXBean's attributes are open types); Java code in the framework may use
 * the interface for a typed proxy ({@link javax.management.JMX#newMXBeanProxy}).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.jmx;
