package io.bgupdate.webconsole.internal;

import static io.bgupdate.webconsole.internal.Html.count;
import static io.bgupdate.webconsole.internal.Html.text;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.CurrentUpdate;
import io.bgupdate.api.DatabaseStatus;
import io.bgupdate.api.QueuedUpdate;
import io.bgupdate.api.UpdateRun;

/**
 * The part of the page that refreshes: one section per database. Uses the status types'
 * accessors only, and renders enums and names through {@code String.valueOf}.
 */
final class StatusView {

    /** History rows shown per database. */
    static final int HISTORY_ROWS = 20;

    /**
     * @param html the sections
     * @param running whether some database's updates are running (the page then refreshes often)
     * @param json the states, as a JSON object {@code {"main":"RUNNING",...}}
     */
    record View(String html, boolean running, String json) {
    }

    private final Rates rates;

    StatusView(Rates rates) {
        this.rates = rates;
    }

    View render(BackgroundUpdates updates) {
        StringBuilder b = new StringBuilder();
        StringBuilder json = new StringBuilder("{");
        boolean running = false;
        List<ControllerInfo> controllers = sorted(updates.controllers());
        List<String> databases = updates.databases();
        if (databases.isEmpty()) {
            b.append("<p class=\"bgu-none\">No database is served yet.</p>");
        }
        for (String db : databases) {
            DatabaseStatus s;
            try {
                s = updates.status(db);
            } catch (RuntimeException e) { // the database left meanwhile, or cannot be reached
                b.append("<section class=\"bgu-db\" data-database=\"").append(text(db)).append("\"><h2>").append(text(db))
                        .append("</h2><p class=\"bgu-error\">unavailable: ").append(text(e.getMessage())).append("</p></section>");
                continue;
            }
            String state = String.valueOf(s.state());
            running |= "RUNNING".equals(state) || "NOT_STARTED".equals(state);
            json.append(json.length() > 1 ? "," : "").append(Html.json(db)).append(':').append(Html.json(state));
            database(b, s, state, controllers, history(updates, db));
        }
        return new View(b.toString(), running, json.append('}').toString());
    }

    private static List<UpdateRun> history(BackgroundUpdates updates, String db) {
        try {
            List<UpdateRun> h = updates.history(db);
            return h.subList(0, Math.min(HISTORY_ROWS, h.size()));
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private void database(StringBuilder b, DatabaseStatus s, String state, List<ControllerInfo> controllers, List<UpdateRun> history) {
        String db = s.databaseName();
        b.append("<section class=\"bgu-db\" data-database=\"").append(text(db)).append("\" data-state=\"").append(text(state)).append("\">");
        b.append("<h2>").append(text(db)).append(" <span class=\"bgu-state bgu-").append(text(state)).append("\">")
                .append(text(state)).append("</span></h2>");

        b.append("<div class=\"bgu-actions\">");
        button(b, "pause", db, null, "Pause", "DISABLED".equals(state));
        button(b, "resume", db, null, "Resume", !"DISABLED".equals(state) && !"ABORTED".equals(state));
        b.append("<form class=\"bgu-start\" data-database=\"").append(text(db)).append("\">")
                .append("<input name=\"update\" placeholder=\"update name\" aria-label=\"update to start again\"> ")
                .append("<button type=\"submit\">Start job</button></form></div>");

        b.append("<table class=\"nicetable bgu-facts\"><tbody>");
        String runsOn = s.runsOn().map(h -> h.equals(s.host()) ? h + " (this host)" : h + " (another host)").orElse("none known");
        fact(b, "runs on", text(runsOn));
        fact(b, "this host", text(s.host()));
        fact(b, "totals", text(count(s.totalItems()) + " items, busy " + Html.duration(Duration.ofMillis(s.totalBusyMillis()))
                + " since start"));
        b.append("</tbody></table>");

        s.current().ifPresentOrElse(c -> current(b, db, c, s.averageItemsPerMs()),
                () -> b.append("<p class=\"bgu-current bgu-idle\">No update is running.</p>"));

        b.append("<h3>Queue</h3>");
        if (s.queue().isEmpty()) {
            b.append("<p>Nothing queued.</p>");
        } else {
            b.append("<table class=\"nicetable bgu-queue\"><thead><tr><th>update</th><th>ordering</th><th>depends on</th>"
                    + "<th>handler</th><th>saved progress</th></tr></thead><tbody>");
            for (QueuedUpdate q : s.queue()) {
                b.append("<tr><td>").append(text(q.name())).append("</td><td>").append(q.ordering()).append("</td><td>")
                        .append(text(q.dependsOn().orElse("-"))).append("</td><td>").append(q.hasHandler() ? "yes" : "no")
                        .append("</td><td><code>").append(text(q.progress())).append("</code></td></tr>");
            }
            b.append("</tbody></table>");
        }

        b.append("<h3>Controllers</h3><table class=\"nicetable bgu-controllers\"><thead><tr><th>in force</th><th>ranking</th>"
                + "<th>service</th><th>bundle</th><th>type</th></tr></thead><tbody>");
        ControllerInfo inForce = s.controller();
        for (ControllerInfo c : controllers) {
            boolean active = same(c, inForce);
            b.append("<tr").append(active ? " class=\"bgu-in-force\"" : "").append("><td>").append(active ? "&#9733; in force" : "")
                    .append("</td><td>").append(c.builtIn() ? "-" : String.valueOf(c.ranking())).append("</td><td>")
                    .append(c.builtIn() ? "-" : String.valueOf(c.serviceId())).append("</td><td>").append(text(c.bundle()))
                    .append("</td><td>").append(text(c.type())).append(c.builtIn() ? " (built-in)" : "").append("</td></tr>");
        }
        b.append("</tbody></table>");

        b.append("<h3>Controller faults</h3>");
        if (s.faults().isEmpty()) {
            b.append("<p class=\"bgu-faults\">none</p>");
        } else {
            b.append("<ul class=\"bgu-faults\">");
            s.faults().forEach(f -> b.append("<li>").append(text(f.message())).append(": ").append(f.count()).append("&times;</li>"));
            b.append("</ul>");
        }
        b.append("<h3>Errors</h3>");
        if (s.errors().isEmpty()) {
            b.append("<p class=\"bgu-errors\">none</p>");
        } else {
            b.append("<ul class=\"bgu-errors\">");
            s.errors().forEach(e -> b.append("<li class=\"bgu-error\">").append(text(e)).append("</li>"));
            b.append("</ul>");
        }

        b.append("<h3>History</h3>");
        if (history.isEmpty()) {
            b.append("<p>No update has run yet.</p>");
        } else {
            b.append("<table class=\"nicetable bgu-history\"><thead><tr><th>update</th><th>started</th><th>completed</th>"
                    + "<th>items</th><th>time</th><th>busy</th><th>outcome</th><th></th></tr></thead><tbody>");
            for (UpdateRun r : history) {
                Instant end = r.completed().orElse(null);
                Duration took = Duration.between(r.started(), end != null ? end : Instant.now());
                String outcome = String.valueOf(r.outcome());
                b.append("<tr><td>").append(text(r.name())).append("</td><td>").append(Html.time(r.started())).append("</td><td>")
                        .append(Html.time(end)).append("</td><td>").append(count(r.items())).append("</td><td>")
                        .append(Html.duration(took)).append("</td><td>").append(Html.duration(Duration.ofMillis(r.busyMillis())))
                        .append("</td><td>").append(text(outcome)).append("</td><td>");
                if (end != null) {
                    button(b, "start-job", db, r.name(), "Run again", false);
                }
                b.append("</td></tr>");
            }
            b.append("</tbody></table>");
        }
        b.append("</section>");
    }

    private void current(StringBuilder b, String db, CurrentUpdate c, OptionalDouble itemsPerMs) {
        OptionalDouble rate = rates.sample(db + "\n" + c.name(), System.nanoTime(), c.items());
        b.append("<div class=\"bgu-current\" data-update=\"").append(text(c.name())).append("\"><h3>Current update: ")
                .append(text(c.name())).append("</h3>");
        String percent = "-";
        if (c.remaining().isPresent()) {
            long total = c.items() + c.remaining().getAsLong();
            double p = total == 0 ? 100 : 100.0 * c.items() / total;
            percent = String.format(Locale.ROOT, "%.1f%%", p);
            b.append("<div class=\"bgu-bar\" role=\"progressbar\" aria-valuemin=\"0\" aria-valuemax=\"100\" aria-valuenow=\"")
                    .append(String.format(Locale.ROOT, "%.1f", p)).append("\"><div class=\"bgu-fill\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.2f", p)).append("%\"></div><span>").append(percent).append("</span></div>");
        } else {
            b.append("<div class=\"bgu-bar bgu-unknown\" role=\"progressbar\"><span>progress unknown: the handler gives no estimate</span></div>");
        }
        b.append("<table class=\"nicetable bgu-facts\"><tbody>");
        fact(b, "percent", "<span class=\"bgu-percent\">" + percent + "</span>");
        fact(b, "ETA", text(c.eta().map(Html::duration).orElse("-")));
        fact(b, "items/s", "<span class=\"bgu-rate\">" + (rate.isPresent() ? String.format(Locale.ROOT, "%,.1f", rate.getAsDouble()) : "measuring")
                + "</span>" + (itemsPerMs.isPresent() ? String.format(Locale.ROOT, " (%,.0f/s while in a batch)", itemsPerMs.getAsDouble() * 1000) : ""));
        fact(b, "items", "<span class=\"bgu-items\">" + count(c.items()) + "</span> done"
                + (c.remaining().isPresent() ? ", " + count(c.remaining().getAsLong()) + " left" : ""));
        fact(b, "batches", count(c.batches()) + " since start, last asked " + count(c.lastBatchSize()) + " items");
        fact(b, "busy", text(Html.duration(Duration.ofMillis(c.busyMillis()))));
        fact(b, "started", text(Html.time(c.started())));
        fact(b, "saved progress", "<code>" + text(c.progress()) + "</code>");
        b.append("</tbody></table></div>");
    }

    private static void fact(StringBuilder b, String name, String html) {
        b.append("<tr><th>").append(name).append("</th><td>").append(html).append("</td></tr>");
    }

    private static void button(StringBuilder b, String action, String db, String update, String label, boolean disabled) {
        b.append("<button type=\"button\" class=\"bgu-do\" data-action=\"").append(action).append("\" data-database=\"").append(text(db))
                .append('"');
        if (update != null) {
            b.append(" data-update=\"").append(text(update)).append('"');
        }
        b.append(disabled ? " disabled" : "").append('>').append(label).append("</button> ");
    }

    private static boolean same(ControllerInfo a, ControllerInfo b) {
        return b != null && a.builtIn() == b.builtIn() && a.serviceId() == b.serviceId() && String.valueOf(a.type()).equals(String.valueOf(b.type()));
    }

    /** @return by ranking, highest first, ties by service id; the built-in default last */
    private static List<ControllerInfo> sorted(List<ControllerInfo> list) {
        List<ControllerInfo> l = new ArrayList<>(list);
        l.sort(Comparator.comparing(ControllerInfo::builtIn).thenComparing(Comparator.comparingInt(ControllerInfo::ranking).reversed())
                .thenComparingLong(ControllerInfo::serviceId));
        return l;
    }
}
