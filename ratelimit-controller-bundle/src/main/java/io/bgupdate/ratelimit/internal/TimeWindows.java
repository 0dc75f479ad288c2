package io.bgupdate.ratelimit.internal;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weekly time windows in which batches may start, such as
 * {@code Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00}. Immutable.
 *
 * <p>Syntax: entries separated by {@code ,} or {@code ;}; each entry is {@code [DAYS] HH:MM-HH:MM}.
 * {@code DAYS} is a day ({@code Mon}, {@code Monday}, any prefix of at least three letters, any case)
 * or a range of days ({@code Mon-Fri}; {@code Fri-Mon} wraps over the weekend); without it the entry
 * applies to every day. The end may be {@code 24:00}. An end at or before the start runs over
 * midnight and belongs to the day it starts on: {@code Fri 22:00-06:00} is Friday 22:00 until
 * Saturday 06:00. Start and end may not be equal; {@code 00:00-24:00} is a whole day. An empty text
 * or {@code always} means no restriction.
 *
 * <p>Times are local times of the zone given to {@link #state}; across a daylight saving change a
 * local time that does not exist is moved forward by the length of the gap.
 */
final class TimeWindows {

    /** No restriction: always open. */
    static final TimeWindows ALWAYS = new TimeWindows(List.of(), "always");

    private static final Pattern ENTRY = Pattern.compile(
            "(?:([A-Za-z]+)(?:\\s*-\\s*([A-Za-z]+))?\\s+)?(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
    private static final int DAY_MINUTES = 24 * 60;
    /** Days after today that {@link #intervals} looks at: a week, plus one for an overnight entry. */
    private static final int HORIZON_DAYS = 8;

    /** One entry, in minutes of the day; an end at or before the start is on the next day. */
    private record Window(Set<DayOfWeek> days, int start, int end) {
    }

    /** A concrete opening, {@code [start, end)}. */
    private record Interval(Instant start, Instant end) {
    }

    /**
     * The state of the windows at one instant.
     *
     * @param open whether a batch may start now
     * @param change when that changes: the next opening when closed, the closing when open;
     *        {@code null} when it does not change within a week
     */
    record State(boolean open, Instant change) {
    }

    private final List<Window> windows;
    private final String text;

    private TimeWindows(List<Window> windows, String text) {
        this.windows = windows;
        this.text = text;
    }

    /**
     * @param text the windows, as described above
     * @return the parsed windows
     * @throws IllegalArgumentException with a one-line message naming the malformed entry
     */
    static TimeWindows parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty() || t.equalsIgnoreCase("always")) {
            return ALWAYS;
        }
        List<Window> list = new ArrayList<>();
        for (String part : t.split("[,;]", -1)) {
            String entry = part.trim();
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw malformed(t, entry, "expected [DAY[-DAY]] HH:MM-HH:MM, e.g. Mon-Fri 22:00-06:00");
            }
            Set<DayOfWeek> days;
            if (m.group(1) == null) {
                days = EnumSet.allOf(DayOfWeek.class);
            } else {
                DayOfWeek from = day(t, entry, m.group(1));
                DayOfWeek to = m.group(2) == null ? from : day(t, entry, m.group(2));
                days = EnumSet.noneOf(DayOfWeek.class);
                for (DayOfWeek d = from; ; d = d.plus(1)) {
                    days.add(d);
                    if (d == to) {
                        break;
                    }
                }
            }
            int start = minute(t, entry, m.group(3), m.group(4), false);
            int end = minute(t, entry, m.group(5), m.group(6), true);
            if (start == end) {
                throw malformed(t, entry, "start and end are equal (a whole day is 00:00-24:00)");
            }
            list.add(new Window(days, start, end));
        }
        return new TimeWindows(List.copyOf(list), t);
    }

    private static DayOfWeek day(String text, String entry, String name) {
        String n = name.toUpperCase(Locale.ROOT);
        if (n.length() >= 3) {
            for (DayOfWeek d : DayOfWeek.values()) {
                if (d.name().startsWith(n)) {
                    return d;
                }
            }
        }
        throw malformed(text, entry, "unknown day '" + name + "'");
    }

    private static int minute(String text, String entry, String hh, String mm, boolean end) {
        int h = Integer.parseInt(hh);
        int m = Integer.parseInt(mm);
        if (m > 59 || h > 24 || h == 24 && (m != 0 || !end)) {
            throw malformed(text, entry, "no such time " + hh + ":" + mm);
        }
        return h * 60 + m;
    }

    private static IllegalArgumentException malformed(String text, String entry, String why) {
        return new IllegalArgumentException(Limits.WINDOWS + ": malformed window '" + entry + "' in '" + text + "': " + why);
    }

    /** @return whether there is no restriction */
    boolean always() {
        return windows.isEmpty();
    }

    /**
     * @param now the instant
     * @param zone the zone the windows are read in
     * @return whether a batch may start at {@code now}, and when that changes
     */
    State state(Instant now, ZoneId zone) {
        if (always()) {
            return new State(true, null);
        }
        List<Interval> intervals = intervals(now, zone);
        Instant until = null;
        Instant next = null;
        for (Interval iv : intervals) {
            if (until == null) {
                if (!iv.start().isAfter(now) && iv.end().isAfter(now)) {
                    until = iv.end();
                } else if (iv.start().isAfter(now) && next == null) {
                    next = iv.start();
                }
            } else if (!iv.start().isAfter(until) && iv.end().isAfter(until)) {
                until = iv.end();
            }
        }
        if (until == null) {
            return new State(false, next);
        }
        return new State(true, until.isAfter(now.plus(Duration.ofDays(7))) ? null : until);
    }

    /** @return the openings from yesterday to {@link #HORIZON_DAYS} days ahead, by start */
    private List<Interval> intervals(Instant now, ZoneId zone) {
        LocalDate today = LocalDate.ofInstant(now, zone);
        List<Interval> list = new ArrayList<>();
        for (int i = -1; i <= HORIZON_DAYS; i++) {
            LocalDate day = today.plusDays(i);
            for (Window w : windows) {
                if (w.days().contains(day.getDayOfWeek())) {
                    LocalDate endDay = w.end() <= w.start() ? day.plusDays(1) : day;
                    list.add(new Interval(at(day, w.start(), zone), at(endDay, w.end(), zone)));
                }
            }
        }
        list.sort(Comparator.comparing(Interval::start));
        return list;
    }

    private static Instant at(LocalDate day, int minute, ZoneId zone) {
        return day.atStartOfDay().plusMinutes(minute).atZone(zone).toInstant();
    }

    /** @return the windows as configured, or {@code always} */
    @Override
    public String toString() {
        return text;
    }
}
