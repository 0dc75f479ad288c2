package io.bgupdate.shell.internal;

import static java.util.stream.Collectors.joining;
import static java.util.stream.Collectors.toSet;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import io.bgupdate.api.ControllerFault;
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.UpdateRun;

/**
 * The text of the {@code bgupdate} commands, made from the API's status records alone, so that
 * it can be tested without a runner. Times are shown in the clock's zone, numbers with
 * {@link Locale#ROOT} (grouping with commas), durations as {@code 350 ms}, {@code 8.2 s},
 * {@code 42 s}, {@code 1m 05s}, {@code 2h 03m}, {@code 3d 04h}.
 */
final class Tables {

    /** Characters between the brackets of a progress bar. */
    static final int BAR_WIDTH = 30;

    /** How many queued updates {@code status} names before eliding the rest. */
    static final int QUEUE_NAMES = 5;

    /** The longest saved progress {@code status} shows before eliding the rest. */
    static final int PROGRESS_CHARS = 60;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final String LABEL = "\n  %-10s  %s";

    private final Clock clock;

    /** @param clock the zone of the times shown, and "now" for elapsed times */
    Tables(Clock clock) {
        this.clock = clock;
    }

    // ---- status -------------------------------------------------------------------------------

    /**
     * @param statuses the databases, in the order to show them
     * @return one block per database, separated by a blank line
     */
    String status(List<DatabaseStatus> statuses) {
        return statuses.isEmpty() ? "no databases" : statuses.stream().map(this::status).collect(joining("\n\n"));
    }

    /**
     * @param s a database's status
     * @return its state, then one labelled line per fact
     */
    String status(DatabaseStatus s) {
        StringBuilder out = new StringBuilder(s.databaseName()).append("  ").append(s.state()).append(hint(s));
        label(out, "runs on", runsOn(s));
        Optional<CurrentUpdate> current = s.current();
        if (current.isPresent()) {
            CurrentUpdate c = current.get();
            label(out, "update", c.name() + "  started " + time(c.started()) + ", " + duration(elapsed(c.started())) + " ago");
            label(out, "progress", progress(c));
            label(out, "items", count(c.items()) + " done"
                    + (c.remaining().isPresent() ? ", " + count(c.remaining().getAsLong()) + " left" : ""));
            label(out, "batches", count(c.batches()) + " since start, last " + count(c.lastBatchSize()) + " items");
            label(out, "busy", millis(c.busyMillis()));
            label(out, "speed", rate(s.averageItemsPerMs()));
            label(out, "saved", truncate(c.progress().toJson(), PROGRESS_CHARS));
        } else {
            label(out, "update", "none");
        }
        label(out, "totals", count(s.totalItems()) + " items, busy " + millis(s.totalBusyMillis()) + " since start");
        label(out, "queue", queueSummary(s.queue()));
        label(out, "controller", controller(s.controller()));
        lines(out, "faults", s.faults().stream()
                .sorted(Comparator.comparingLong(ControllerFault::count).reversed().thenComparing(ControllerFault::message))
                .map(f -> count(f.count()) + " x " + f.message()).toList());
        lines(out, "errors", s.errors());
        return out.toString();
    }

    /** Which host runs the updates: this one, or another sharing the database. */
    static String runsOn(DatabaseStatus s) {
        return s.runsOn().map(h -> h.equals(s.host()) ? "this host (" + h + ")" : h + "; this host (" + s.host() + ") stands by")
                .orElse("no host yet; this host is " + s.host());
    }

    private static String hint(DatabaseStatus s) {
        return switch (s.state()) {
            case DISABLED -> "  paused: bgupdate:resume " + s.databaseName() + " to go on";
            case ABORTED -> "  stopped after repeated failures: bgupdate:resume " + s.databaseName() + " to retry";
            case COMPLETE -> "  nothing queued";
            default -> "";
        };
    }

    private static String progress(CurrentUpdate c) {
        OptionalDouble done = c.fractionDone();
        if (done.isEmpty()) {
            return "unknown: the handler gives no estimate";
        }
        return bar(done.getAsDouble()) + "  " + percent(done.getAsDouble())
                + "  ETA " + c.eta().map(Tables::duration).orElse("unknown");
    }

    private static String queueSummary(List<QueuedUpdate> queue) {
        if (queue.isEmpty()) {
            return "empty";
        }
        String names = queue.stream().limit(QUEUE_NAMES).map(QueuedUpdate::name).collect(joining(", "));
        return queue.size() + ": " + names + (queue.size() > QUEUE_NAMES ? ", ..." : "");
    }

    private static String controller(ControllerInfo c) {
        if (c == null) {
            return "none";
        }
        String type = c.type().substring(c.type().lastIndexOf('.') + 1);
        return c.builtIn() ? type + " (built-in)  bundle " + c.bundle()
                : type + "  bundle " + c.bundle() + ", service " + c.serviceId() + ", ranking " + c.ranking();
    }

    private static void label(StringBuilder out, String label, String value) {
        out.append(String.format(Locale.ROOT, LABEL, label, oneLine(value)));
    }

    private static void lines(StringBuilder out, String label, List<String> values) {
        if (values.isEmpty()) {
            label(out, label, "none");
        }
        for (int i = 0; i < values.size(); i++) {
            label(out, i == 0 ? label : "", values.get(i));
        }
    }

    // ---- list, history, controllers -----------------------------------------------------------

    /**
     * @param statuses the databases whose queues to show
     * @return one row per queued update, in the order each database runs them, or
     *         {@code nothing queued}
     */
    String queue(List<DatabaseStatus> statuses) {
        Table t = new Table("DATABASE", "UPDATE", ">ORDERING", "DEPENDS ON", "HANDLER", "STATE", "PROGRESS");
        for (DatabaseStatus s : statuses) {
            Set<String> queued = s.queue().stream().map(QueuedUpdate::name).collect(toSet());
            String current = s.current().map(CurrentUpdate::name).orElse(null);
            for (QueuedUpdate q : s.queue()) {
                String state = q.name().equals(current) ? "current"
                        : !q.hasHandler() ? "no handler"
                        : q.dependsOn().filter(queued::contains).isPresent() ? "waiting"
                        : "ready";
                t.row(s.databaseName(), q.name(), q.ordering(), q.dependsOn().orElse("-"), q.hasHandler() ? "yes" : "no",
                        state, truncate(q.progress().toJson(), PROGRESS_CHARS));
            }
        }
        return t.isEmpty() ? "nothing queued" : t.toString();
    }

    /**
     * @param runs history rows of any databases
     * @param limit the most rows to show, newest first; 0 for all
     * @return one row per run, or {@code no history}
     */
    String history(List<UpdateRun> runs, int limit) {
        List<UpdateRun> sorted = runs.stream().sorted(Comparator.comparing(UpdateRun::started).reversed()).toList();
        List<UpdateRun> shown = limit > 0 && sorted.size() > limit ? sorted.subList(0, limit) : sorted;
        Table t = new Table("DATABASE", "UPDATE", "STARTED", "COMPLETED", ">ITEMS", ">TIME", ">BUSY", "OUTCOME");
        for (UpdateRun r : shown) {
            t.row(r.databaseName(), r.name(), time(r.started()), r.completed().map(this::time).orElse("-"), count(r.items()),
                    duration(Duration.between(r.started(), r.completed().orElseGet(clock::instant))),
                    duration(Duration.ofMillis(r.busyMillis())), r.outcome());
        }
        if (t.isEmpty()) {
            return "no history";
        }
        int more = sorted.size() - shown.size();
        return more == 0 ? t.toString() : t + "\n(" + more + " older not shown; -n 0 shows all)";
    }

    /**
     * @param controllers the controllers, as {@code BackgroundUpdates.controllers()} lists them
     * @return one row per controller, the one in force marked with {@code *}
     */
    String controllers(List<ControllerInfo> controllers) {
        Table t = new Table("ACTIVE", ">RANKING", ">SERVICE", "BUNDLE", "TYPE");
        for (ControllerInfo c : controllers) {
            t.row(c.active() ? "*" : "", c.builtIn() ? "-" : c.ranking(), c.builtIn() ? "-" : c.serviceId(), c.bundle(),
                    c.type() + (c.builtIn() ? " (built-in)" : ""));
        }
        return t.isEmpty() ? "no controllers" : t.toString();
    }

    /**
     * @param done what has been done, such as {@code paused}
     * @param statuses the databases it was done to, as they are now
     * @return one line per database: {@code main: paused, now DISABLED}
     */
    static String done(String done, List<DatabaseStatus> statuses) {
        return statuses.isEmpty() ? "no databases"
                : statuses.stream().map(s -> s.databaseName() + ": " + done + ", now " + s.state()).collect(joining("\n"));
    }

    // ---- units --------------------------------------------------------------------------------

    /** @return the instant in the clock's zone, such as {@code 2026-11-26 10:15:02} */
    String time(Instant instant) {
        return TIME.format(instant.atZone(clock.getZone()));
    }

    private Duration elapsed(Instant since) {
        return Duration.between(since, clock.instant());
    }

    /** @return the duration in the largest two units that fit; negative ones as 0 */
    static String duration(Duration d) {
        long ms = Math.max(0, d.toMillis());
        long s = ms / 1000;
        if (ms < 1000) {
            return ms + " ms";
        } else if (ms < 10_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        } else if (s < 60) {
            return s + " s";
        } else if (s < 3600) {
            return String.format(Locale.ROOT, "%dm %02ds", s / 60, s % 60);
        } else if (s < 86_400) {
            return String.format(Locale.ROOT, "%dh %02dm", s / 3600, s % 3600 / 60);
        }
        return String.format(Locale.ROOT, "%dd %02dh", s / 86_400, s % 86_400 / 3600);
    }

    /** @return milliseconds as a duration, then exactly: {@code 1m 05s (65,012 ms)} */
    static String millis(long ms) {
        String d = duration(Duration.ofMillis(ms));
        return ms < 1000 ? d : d + " (" + count(ms) + " ms)";
    }

    /** @return the number grouped by thousands: {@code 200,000} */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** @return items per millisecond to three significant digits, or {@code -} if there is no average yet */
    static String rate(OptionalDouble itemsPerMs) {
        if (itemsPerMs.isEmpty() || !Double.isFinite(itemsPerMs.getAsDouble())) {
            return "-";
        }
        double v = itemsPerMs.getAsDouble();
        String n = v == 0 ? "0" : new BigDecimal(v).round(new MathContext(3)).stripTrailingZeros().toPlainString();
        return n + " items/ms";
    }

    /** @return the share as a percentage with one decimal: {@code  40.0%} (six characters up to 100%) */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%5.1f%%", 100 * clamp(fraction));
    }

    /** @return {@code [####------]}, {@link #BAR_WIDTH} characters inside; full only when done */
    static String bar(double fraction) {
        int filled = (int) Math.floor(clamp(fraction) * BAR_WIDTH);
        return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
    }

    private static double clamp(double fraction) {
        return Double.isNaN(fraction) ? 0 : Math.max(0, Math.min(1, fraction));
    }

    /** @return the text on one line: line breaks and tabs as single blanks, trimmed */
    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
