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
 *
 * <p><b>How this API grows.</b> Controllers implement the {@code @ConsumerType} interfaces
 * {@link io.bgupdate.api.controller.BackgroundUpdateController} and
 * {@link io.bgupdate.api.controller.Iteration}: a later version adds to them only default
 * methods (such as {@link io.bgupdate.api.controller.Iteration#abandon()}), so existing
 * controllers keep compiling and running. {@link io.bgupdate.api.controller.BatchResult} is a
 * final class made through static factories, so it can gain accessors in a minor version; its
 * {@link io.bgupdate.api.controller.BatchResult.Outcome} may gain constants. Every later
 * addition carries {@code @since} with its package version.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.api.controller;
