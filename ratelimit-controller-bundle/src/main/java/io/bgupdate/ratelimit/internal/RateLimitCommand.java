package io.bgupdate.ratelimit.internal;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.Constants;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Gogo command {@code bgupdate:ratelimit}: shows the live state of the rate-limit controller
 * or, given options, changes its configuration through Configuration Admin (so the change
 * persists, and reaches the controller as any other configuration change: from the next batch).
 *
 * <p>Gogo maps a function name to a method by name, case-insensitively, with no translation of
 * {@code -}, so the function is a single word with options rather than {@code ratelimit-set}.
 * Disabled by default: the controller enables it only when this bundle is wired to the optional
 * Gogo package. Returns strings and prints nothing; a bad option changes nothing and throws a
 * {@link CommandError}, one line {@code error: ...} as the other bgupdate commands print, which fails a script.
 */
@Component(
        name = RateLimitCommand.NAME,
        enabled = false,
        service = RateLimitCommand.class,
        property = {
            "osgi.command.scope=" + RateLimitCommand.SCOPE,
            "osgi.command.function=" + RateLimitCommand.FUNCTION
        })
public class RateLimitCommand {

    static final String NAME = "io.bgupdate.ratelimit.command";
    static final String SCOPE = "bgupdate";
    static final String FUNCTION = "ratelimit";
    static final String RANKING = Constants.SERVICE_RANKING;
    static final String OVERRIDES = "overrides";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE HH:mm", Locale.ROOT);

    @Reference
    private RateLimitController controller;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin configurationAdmin;

    /** For DS. */
    public RateLimitCommand() {
    }

    /**
     * @param controller the controller shown
     * @param configurationAdmin where changes go, or {@code null}
     */
    RateLimitCommand(RateLimitController controller, ConfigurationAdmin configurationAdmin) {
        this.controller = controller;
        this.configurationAdmin = configurationAdmin;
    }

    @Descriptor("show the rate-limit controller's live state; with options, change its configuration "
            + "(persisted through Configuration Admin, in force from the next batch)")
    public String ratelimit(
            @Descriptor("items per second, 0 for no limit")
            @Parameter(names = {"-r", "--rate"}, absentValue = "") String rate,
            @Descriptor("token bucket capacity in items, 0 for one second of the rate")
            @Parameter(names = {"-b", "--burst"}, absentValue = "") String burst,
            @Descriptor("largest share of wall time inside batches, in (0, 1]")
            @Parameter(names = {"-d", "--duty"}, absentValue = "") String duty,
            @Descriptor("time windows, e.g. \"Mon-Fri 22:00-06:00, Sat-Sun 00:00-24:00\", or always")
            @Parameter(names = {"-w", "--windows"}, absentValue = "") String windows,
            @Descriptor("time zone of the windows, e.g. Europe/Berlin, or system")
            @Parameter(names = {"-z", "--zone"}, absentValue = "") String zone,
            @Descriptor("items of the first batch of an update")
            @Parameter(names = {"--batch-default"}, absentValue = "") String batchDefault,
            @Descriptor("least items of any batch")
            @Parameter(names = {"--batch-min"}, absentValue = "") String batchMin,
            @Descriptor("longest batch asked for, in ms")
            @Parameter(names = {"--duration-max"}, absentValue = "") String durationMax,
            @Descriptor("service.ranking of the controller")
            @Parameter(names = {"--ranking"}, absentValue = "") String ranking,
            @Descriptor("add or replace an override, e.g. \"update:events_purge rate=5000 duty=0.5\"")
            @Parameter(names = {"-o", "--override"}, absentValue = "") String override,
            @Descriptor("remove the override with this selector, e.g. update:events_purge")
            @Parameter(names = {"--remove-override"}, absentValue = "") String removeOverride,
            @Descriptor("delete the configuration: back to the defaults")
            @Parameter(names = {"--reset"}, presentValue = "true", absentValue = "false") boolean reset,
            @Descriptor("none: options only") String... unexpected) {
        try {
            return change(rate, burst, duty, windows, zone, batchDefault, batchMin, durationMax, ranking, override,
                    removeOverride, reset, unexpected);
        } catch (IllegalArgumentException e) {
            throw e instanceof CommandError c ? c : new CommandError(e.getMessage());
        } catch (IOException e) {
            throw new CommandError("Configuration Admin could not change " + RateLimitController.PID + ": " + e.getMessage());
        }
    }

    private String change(String rate, String burst, String duty, String windows, String zone, String batchDefault,
                          String batchMin, String durationMax, String ranking, String override, String removeOverride,
                          boolean reset, String... unexpected) throws IOException {
        if (unexpected != null && unexpected.length > 0) {
            throw new IllegalArgumentException("unexpected argument '" + unexpected[0] + "'; see: help " + FUNCTION);
        }
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put(Limits.RATE, rate);
        changes.put(Limits.BURST, burst);
        changes.put(Limits.DUTY, duty);
        changes.put(Limits.WINDOWS, windows);
        changes.put(Limits.ZONE, zone);
        changes.put(Limits.BATCH_DEFAULT, batchDefault);
        changes.put(Limits.BATCH_MIN, batchMin);
        changes.put(Limits.DURATION_MAX, durationMax);
        changes.put(RANKING, ranking);
        changes.values().removeIf(v -> v == null || v.isEmpty());
        String add = override == null ? "" : override;
        String remove = removeOverride == null ? "" : removeOverride;
        boolean overriding = !add.isEmpty() || !remove.isEmpty();
        if (!reset && changes.isEmpty() && !overriding) {
            return show(controller.status());
        }
        if (reset && (!changes.isEmpty() || overriding)) {
            throw new IllegalArgumentException("--reset cannot be combined with other options");
        }
        ConfigurationAdmin ca = configurationAdmin;
        if (ca == null) {
            throw new IllegalArgumentException("Configuration Admin is not available, cannot change " + RateLimitController.PID);
        }
        Configuration cfg = ca.getConfiguration(RateLimitController.PID);
        if (reset) {
            cfg.delete();
            return RateLimitController.PID + " deleted: the defaults are in force from the next batch";
        }
        Dictionary<String, Object> props = cfg.getProperties();
        if (props == null) {
            props = new Hashtable<>();
        }
        List<String> done = new ArrayList<>();
        for (Map.Entry<String, String> e : changes.entrySet()) {
            props.put(e.getKey(), typed(e.getKey(), e.getValue()));
            String v = e.getValue().trim();
            done.add(e.getKey() + "=" + (v.matches("[^\\s,]+") ? v : '"' + v + '"'));
        }
        if (overriding) {
            List<String> entries = new ArrayList<>();
            for (String s : strings(props.get(OVERRIDES))) {
                try {
                    LimitOverride.parse(s);
                    entries.add(s);
                } catch (IllegalArgumentException e) {
                    done.add("dropped malformed override '" + s + "'");
                }
            }
            if (!remove.isEmpty()) {
                String selector = LimitOverride.parseSelector(remove);
                if (!entries.removeIf(s -> LimitOverride.parse(s).selector().equals(selector))) {
                    throw new IllegalArgumentException("no override for " + selector);
                }
                done.add("removed override " + selector);
            }
            if (!add.isEmpty()) {
                LimitOverride o = LimitOverride.parse(add);
                o.applyTo(Limits.DEFAULTS);
                entries.removeIf(s -> LimitOverride.parse(s).selector().equals(o.selector()));
                entries.add(o.text());
                done.add("override " + o.text());
            }
            props.put(OVERRIDES, entries.toArray(new String[0]));
        }
        cfg.update(props);
        return RateLimitController.PID + " updated (" + String.join(", ", done) + "): in force from the next batch";
    }

    private static Object typed(String key, String value) {
        if (RANKING.equals(key)) {
            try {
                return Integer.valueOf(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(RANKING + ": '" + value + "' is not an integer");
            }
        }
        return Limits.typedValue(key, value);
    }

    private static List<String> strings(Object value) {
        List<String> list = new ArrayList<>();
        Iterable<?> items = value instanceof String[] a ? Arrays.asList(a)
                : value instanceof Iterable<?> i ? i
                : value == null ? List.of() : List.of(value);
        items.forEach(item -> list.add(String.valueOf(item)));
        return list;
    }

    /**
     * @param status the live state
     * @return it as text: configuration, then one fixed-width row per database
     */
    static String show(RateLimitController.Status status) {
        RateLimitSettings s = status.settings();
        Limits base = s.base();
        Instant now = status.now();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-11s%s (service.ranking %d)%n", "Controller", RateLimitController.PID, s.ranking()));
        b.append(String.format(Locale.ROOT, "%-11s%s%n", "In force", base.describe()));
        if (s.overrides().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%-11s%s%n", "Overrides", "none"));
        }
        for (int i = 0; i < s.overrides().size(); i++) {
            b.append(String.format(Locale.ROOT, "%-11s%s%n", i == 0 ? "Overrides" : "", s.overrides().get(i).text()));
        }
        b.append(String.format(Locale.ROOT, "%-11s%s%n", "Window", window(base, base.windows().state(now, base.zone()), now)));
        if (!status.ignored().isEmpty()) {
            b.append(String.format(Locale.ROOT, "%-11sunknown %s %s%n", "Ignored",
                    status.ignored().size() == 1 ? "property" : "properties", String.join(", ", status.ignored())));
        }
        if (status.rejection() != null) {
            b.append(String.format(Locale.ROOT, "%-11s%s (the configuration above stays in force)%n", "Rejected", status.rejection()));
        }
        if (status.databases().isEmpty()) {
            return b.append("No batch has asked this controller yet.").toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DATABASE", "UPDATE", "STATE", "TOKENS", "WINDOW", "ITEMS/S (1 MIN)"});
        for (DatabaseLimiter.View v : status.databases()) {
            Limits l = v.limits();
            String state = switch (v.phase()) {
                case IDLE -> "idle";
                case IN_BATCH -> "in batch";
                case WAITING -> "waiting for " + v.reason() + " (" + duration(Duration.between(now, v.until())) + ")";
            };
            String tokens = l.limitsRate() ? String.format(Locale.ROOT, "%d/%d", (long) Math.floor(v.tokens()), l.capacity()) : "unlimited";
            rows.add(new String[] {v.database(), v.update() == null ? "-" : v.update(), state, tokens,
                window(l, v.window(), now), String.format(Locale.ROOT, "%.1f", v.itemsPerSecond())});
        }
        b.append(System.lineSeparator()).append(table(rows));
        return b.toString();
    }

    private static String window(Limits l, TimeWindows.State w, Instant now) {
        if (l.windows().always()) {
            return "always open";
        }
        if (w.change() == null) {
            return w.open() ? "open all week" : "closed";
        }
        String at = WHEN.format(w.change().atZone(l.zone())) + " (in " + duration(Duration.between(now, w.change())) + ")";
        return w.open() ? "open, closes " + at : "closed, opens " + at;
    }

    /** @return e.g. {@code 2d 3h}, {@code 7h 12m}, {@code 4m 5s}, {@code 0s} */
    static String duration(Duration d) {
        long s = Math.max(0, (d.toMillis() + 999) / 1000);
        long days = s / 86400;
        long h = s / 3600 % 24;
        long m = s / 60 % 60;
        long sec = s % 60;
        if (days > 0) {
            return days + "d " + h + "h";
        }
        if (h > 0) {
            return h + "h " + m + "m";
        }
        return m > 0 ? m + "m " + sec + "s" : sec + "s";
    }

    private static String table(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", r[i]));
            }
            b.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return b.toString().stripTrailing();
    }

    /**
     * A command that cannot be done, shown as one line {@code error: ...}: Gogo prints a failed
     * command's exception by {@code toString()}, which would otherwise start with the class name;
     * Karaf prints the message. An {@link IllegalArgumentException}, so scripts can catch it as one.
     */
    static final class CommandError extends IllegalArgumentException {

        private static final long serialVersionUID = 1L;

        /** @param message what is wrong; line breaks become blanks */
        CommandError(String message) {
            super(String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " "));
        }

        @Override
        public String toString() {
            return "error: " + getMessage();
        }
    }
}
