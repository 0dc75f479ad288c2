package io.bgupdate.distribution.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.RunnerState;
import io.bgupdate.distribution.launcher.Launcher;

/**
 * One look at the runner: a progress line per database, and whether the run is over.
 *
 * @param lines one line per database
 * @param key what changes when something worth a line at once happens: a state, the current update
 * @param exitCode present when the run is over: 0 when every update has completed, 2 if a
 *        database's updates were ABORTED
 */
record Watch(List<String> lines, String key, OptionalInt exitCode) {

    static final int COMPLETE = 0;
    static final int ABORTED = Launcher.ABORTED;

    /**
     * @param updates the runner
     * @param registered the names of the updates registered for a database
     * @param starting whether the framework is still starting, so that more updates may come
     */
    static Watch look(BackgroundUpdates updates, Function<String, Set<String>> registered, boolean starting) {
        Watch w = look(updates, registered);
        if (!starting || w.exitCode().equals(OptionalInt.of(ABORTED))) {
            return w;
        }
        List<String> lines = new ArrayList<>();
        w.lines().forEach(l -> lines.add(l + " (host starting)"));
        return new Watch(lines, w.key() + "starting", OptionalInt.empty());
    }

    private static Watch look(BackgroundUpdates updates, Function<String, Set<String>> registered) {
        List<String> dbs = updates.databases();
        if (dbs.isEmpty()) {
            return new Watch(List.of("no database yet"), "none", OptionalInt.empty());
        }
        List<String> lines = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        boolean allDone = true;
        for (String db : dbs) {
            DatabaseStatus s;
            try {
                s = updates.status(db);
            } catch (RuntimeException e) { // the database left meanwhile, or is unavailable
                lines.add(db + " unavailable: " + e.getMessage());
                allDone = false;
                continue;
            }
            key.append(db).append(s.state()).append(s.current().map(CurrentUpdate::name).orElse("")).append(';');
            if (s.state() == RunnerState.ABORTED) {
                return new Watch(List.of(db + " ABORTED: " + oneLine(String.join("; ", s.errors()))), key.toString(),
                        OptionalInt.of(ABORTED));
            }
            Set<String> pending = new TreeSet<>();
            if (s.state() == RunnerState.COMPLETE) {
                for (String name : registered.apply(db)) {
                    if (!hasCompleted(updates, name, db)) {
                        pending.add(name);
                    }
                }
            }
            boolean done = s.state() == RunnerState.COMPLETE && pending.isEmpty();
            allDone &= done;
            lines.add(line(s, pending));
        }
        return new Watch(lines, key.toString(), allDone ? OptionalInt.of(COMPLETE) : OptionalInt.empty());
    }

    private static boolean hasCompleted(BackgroundUpdates updates, String name, String db) {
        try {
            return updates.hasCompleted(name, db);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static String line(DatabaseStatus s, Set<String> pending) {
        StringBuilder b = new StringBuilder(s.databaseName()).append(' ').append(s.state());
        if (s.state() == RunnerState.DISABLED) {
            b.append(" (paused: bgupdate:resume ").append(s.databaseName()).append(" to go on)");
        }
        s.current().ifPresent(c -> {
            b.append(' ').append(c.name()).append(' ');
            if (c.fractionDone().isPresent()) {
                long total = c.items() + c.remaining().getAsLong();
                b.append(String.format(Locale.ROOT, "%3.0f%% %,d/%,d", 100 * c.fractionDone().getAsDouble(), c.items(), total));
            } else {
                b.append(String.format(Locale.ROOT, "%,d items", c.items()));
            }
            c.eta().ifPresent(eta -> b.append(" ETA ").append(duration(eta)));
            if (c.lastBatchSize() > 0) {
                b.append(String.format(Locale.ROOT, " (batch %,d)", c.lastBatchSize()));
            }
        });
        if (!s.queue().isEmpty()) {
            b.append(", ").append(s.queue().size()).append(" queued");
        }
        if (!pending.isEmpty()) {
            b.append(", not yet queued: ").append(String.join(" ", pending));
        }
        if (!s.errors().isEmpty()) {
            b.append(", error: ").append(oneLine(s.errors().get(0)));
        }
        return b.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ");
    }

    /** @return such as {@code 42s}, {@code 3m05s}, {@code 2h10m} */
    static String duration(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
    }
}
