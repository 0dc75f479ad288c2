/**
 * The controller SPI: the Java form of Synapse's background update controller callbacks.
 *
 * <p>A controller is the throttle of background updates. Any bundle registers a
 * {@link io.bgupdate.api.controller.BackgroundUpdateController} as an OSGi service; before every
 * batch the runner picks the registered controller with the highest {@code service.ranking}
 * (ties: the lowest {@code service.id}), so installing, stopping or reconfiguring a controller
 * bundle takes effect at the next batch. With none registered the runner's built-in default
 * controller applies: it sleeps {@code sleep_duration_ms} and then asks for batches of
 * {@code background_update_duration_ms}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.api.controller;
