/**
 * The adaptive controller: a {@link io.bgupdate.api.controller.BackgroundUpdateController} that
 * measures how much background updates hurt the application (probe latency, PostgreSQL activity,
 * the {@link io.bgupdate.api.pressure.PressureReporter} whiteboard, Felix Health Checks) and sets
 * duty cycle and batch duration by a proportional law ({@link io.bgupdate.adaptive.internal.ControlLaw}).
 * Configured live through Configuration Admin (PID {@code io.bgupdate.adaptive}); private to its bundle.
 */
package io.bgupdate.adaptive.internal;
