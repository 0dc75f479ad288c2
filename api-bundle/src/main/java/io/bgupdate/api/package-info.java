/**
 * The status and control of background updates, as the runner provides them to shells,
 * consoles and other bundles: the {@link io.bgupdate.api.BackgroundUpdates} service.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.api;
