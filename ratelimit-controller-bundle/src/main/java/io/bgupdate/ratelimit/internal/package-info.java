/**
 * The rate-limit controller: a {@link io.bgupdate.api.controller.BackgroundUpdateController}
 * that throttles by items per second, duty cycle and time windows, configured live through
 * Configuration Admin (PID {@code io.bgupdate.ratelimit}), with a Gogo command to watch and change it.
 * Private to its bundle: nothing here is exported.
 */
package io.bgupdate.ratelimit.internal;
