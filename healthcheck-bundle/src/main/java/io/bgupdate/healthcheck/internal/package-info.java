/**
 * The bgupdate health check: a Felix {@code org.apache.felix.hc.api.HealthCheck} service tagged
 * {@code bgupdate} (and configured tags) that judges every database's background updates from the
 * {@link io.bgupdate.api.BackgroundUpdates} status. Private to its bundle: nothing here is exported.
 */
package io.bgupdate.healthcheck.internal;
