package io.bgupdate.adaptive.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo command {@code bgupdate:adaptive}: the adaptive controller's live state, per database
 * the duty cycle and batch duration in force, the law's mode and the signal that limits, then every
 * signal's value, pressure and state. Configuration goes through Configuration Admin (PID
 * {@value AdaptiveController#PID}), e.g. {@code config:edit} in Karaf. Disabled by default: the
 * controller enables it only when this bundle is wired to the optional Gogo package.
 */
@Component(
        name = AdaptiveCommand.NAME,
        enabled = false,
        service = AdaptiveCommand.class,
        property = {"osgi.command.scope=bgupdate", "osgi.command.function=adaptive"})
public class AdaptiveCommand {

    static final String NAME = "io.bgupdate.adaptive.command";

    @Reference
    private AdaptiveController controller;

    /** For DS. */
    public AdaptiveCommand() {
    }

    /** @param controller the controller shown */
    AdaptiveCommand(AdaptiveController controller) {
        this.controller = controller;
    }

    @Descriptor("show the adaptive controller's live state: per database the duty cycle and batch duration in force, "
            + "the learned base latency, which signal limits, and every signal's value and pressure (1 = at target)")
    public String adaptive(@Descriptor("none") String... unexpected) {
        if (unexpected != null && unexpected.length > 0) {
            throw new IllegalArgumentException("unexpected argument '" + unexpected[0] + "': bgupdate:adaptive takes none; "
                    + "configure PID " + AdaptiveController.PID + " through Configuration Admin");
        }
        return show(controller.status());
    }

    /** @return the state as text */
    static String show(AdaptiveController.Status status) {
        AdaptiveSettings s = status.settings();
        ControlLaw.Gains g = s.gains();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-11s%s (service.ranking %d)%n", "Controller", AdaptiveController.PID, s.ranking()));
        b.append(String.format(Locale.ROOT, "%-11sgain up %.2f/s, down %.2f/s; duty %.3f..%.3f; duration %d..%d ms%n", "Law",
                g.gainUp(), g.gainDown(), g.dutyMin(), g.dutyMax(), g.durationMinMillis(), g.durationMaxMillis()));
        if (status.rejection() != null) {
            b.append(String.format(Locale.ROOT, "%-11s%s (the configuration above stays in force)%n", "Rejected", status.rejection()));
        }
        if (status.databases().isEmpty()) {
            return b.append("No batch has asked this controller yet.").toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"DATABASE", "MODE", "DUTY", "DURATION", "BASE", "LIMITED BY", "PRESSURE", "NOW"});
        for (DatabaseControl.View v : status.databases()) {
            Reading limit = v.limiting();
            rows.add(new String[] {v.database(), v.mode().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                String.format(Locale.ROOT, "%.3f", v.duty()), v.durationMillis() + " ms",
                Double.isNaN(v.base()) ? "-" : String.format(Locale.ROOT, "%.2f ms", v.base()),
                limit == null ? "-" : limit.signal(), limit == null ? "-" : pressure(limit),
                v.batching() ? "in batch" : v.waiting() == null ? "may start" : "waiting: " + v.waiting()});
        }
        b.append(System.lineSeparator()).append(table(rows));
        for (DatabaseControl.View v : status.databases()) {
            List<String[]> signals = new ArrayList<>();
            signals.add(new String[] {"SIGNAL (" + v.database() + ")", "PRESSURE", "VALUE", "STATE"});
            for (Reading r : v.readings()) {
                signals.add(new String[] {r.signal(), pressure(r), r.value(), r.error() == null ? "ok" : r.error()});
            }
            if (v.readings().isEmpty()) {
                signals.add(new String[] {"(none enabled)", "-", "-", "-"});
            }
            b.append(System.lineSeparator()).append(System.lineSeparator()).append(table(signals));
        }
        return b.toString();
    }

    private static String pressure(Reading r) {
        return r.critical() ? "CRITICAL" : Double.isNaN(r.pressure()) ? "-" : String.format(Locale.ROOT, "%.2f", r.pressure());
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
}
