package io.bgupdate.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/** A clock that stands still until the test {@linkplain #advance(Duration) moves it}. Thread-safe. */
public final class FakeClock extends Clock {

    private final ZoneId zone;
    private volatile Instant now;

    /**
     * @param start the instant it shows first
     * @param zone its zone
     */
    public FakeClock(Instant start, ZoneId zone) {
        this.now = Objects.requireNonNull(start, "start");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    /** @param start the instant it shows first, in UTC, such as {@code "2026-11-25T12:00:00Z"} */
    public FakeClock(String start) {
        this(Instant.parse(start), ZoneOffset.UTC);
    }

    /**
     * @param by how far to move it, 0 or more
     * @return the instant it shows now
     */
    public synchronized Instant advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock does not go back: " + by);
        }
        now = now.plus(by);
        return now;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId other) {
        return new FakeClock(now, other);
    }
}
