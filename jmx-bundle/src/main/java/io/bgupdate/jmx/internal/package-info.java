/**
 * The MXBeans of the databases, registered as services for a JMX whiteboard, and the registrar
 * that puts them on the platform MBean server where there is no whiteboard (the Felix host).
 * Private to its bundle: nothing here is exported.
 */
package io.bgupdate.jmx.internal;
