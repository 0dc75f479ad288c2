/**
 * The application's pressure: a whiteboard through which any bundle tells load-aware controllers
 * how busy the application is, so that background updates yield to it.
 *
 * <p>Register a {@link io.bgupdate.api.pressure.PressureReporter} as an OSGi service; a load-aware
 * controller (such as bgupdate's adaptive controller, bundle {@code io.bgupdate.adaptive}) reads
 * every registered reporter before each batch and at its own sampling interval. A reporter gives
 * either a pressure in [0, 1] or the latency its requests see now (or both). Reporters combine:
 * the worst wins. Service properties in {@link io.bgupdate.api.pressure.PressureProperties} name a
 * reporter and restrict it to some databases. A reporter that throws or returns a value out of
 * range is shown as failing and ignored; it never stops an update.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.api.pressure;
