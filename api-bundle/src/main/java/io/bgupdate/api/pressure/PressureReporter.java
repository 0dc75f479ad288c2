package io.bgupdate.api.pressure;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reports how busy the application is, for controllers that slow background updates down when it
 * is busy (a whiteboard service: register it, and every load-aware controller reads it).
 *
 * <p>Implement one of the two methods, or both:
 * <ul>
 * <li>{@link #pressure()}: a judgement the application makes itself, from 0 (idle) to 1
 *     (critical: background updates must hold until it drops again);</li>
 * <li>{@link #latency()}: what its requests take now (for example the 99th percentile of the
 *     last few seconds); the controller learns the base latency (a windowed minimum) and treats
 *     the inflation over it as pressure, relative to its configured target.</li>
 * </ul>
 *
 * <p>Several reporters combine: the worst of them wins. The controller calls these methods from
 * its own threads, often (every few hundred milliseconds) and concurrently with the application:
 * implementations must be thread-safe, must return promptly and should only read values the
 * application keeps anyway. A method that throws, or returns a value out of range (a pressure
 * outside [0, 1] or not a number, a negative latency), makes the reporter count as failing: the
 * controller shows it and ignores it until it reports a good value again.
 *
 * <p>Service properties: see {@link PressureProperties}.
 */
@ConsumerType
public interface PressureReporter {

    /**
     * The application's own judgement of its load. The default reports nothing.
     *
     * @return a pressure in [0, 1]: 0 means idle, 1 means critical (background updates hold);
     *         between the two, a controller slows down the more the higher the pressure, in
     *         proportion to its configured target; empty when the reporter has no judgement now
     */
    default OptionalDouble pressure() {
        return OptionalDouble.empty();
    }

    /**
     * The latency the application's requests see now. The default reports nothing.
     *
     * @return a recent latency (0 or more), for example a high percentile over the last few
     *         seconds; empty when no request ran lately
     */
    default Optional<Duration> latency() {
        return Optional.empty();
    }
}
