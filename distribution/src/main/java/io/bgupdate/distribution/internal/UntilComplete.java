package io.bgupdate.distribution.internal;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.UpdateRun;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;
import io.bgupdate.distribution.launcher.Launcher;

/**
 * The {@code --until-complete} mode of {@code bin/bgupdate}: watches the runner until every update
 * registered for every database it serves has completed, printing a progress line when the state
 * or the current update changes and at least every {@code --progress} seconds, then hands the
 * exit code to the launcher. While the framework is still starting (bundles of later start
 * levels may register more updates), or a bundle says with a marker service
 * ({@value Launcher#PREPARING}) that it prepares updates still to register, it never decides. It needs the launcher's exit service, so
 * in an interactive host, where there is none, it never activates. Its output is the product,
 * so it goes to the console, not to the log.
 */
@Component(immediate = true)
public class UntilComplete {

    private static final long POLL_MILLIS = 250;

    @Reference(target = "(" + Launcher.EXIT_SERVICE + "=" + Launcher.UNTIL_COMPLETE + ")")
    private IntConsumer exit;

    @Reference
    private BackgroundUpdates updates;

    @Reference(service = UpdateHandler.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ServiceReference<UpdateHandler>> handlers;

    /** Bundles still preparing updates to register (the example application generating its data). */
    @Reference(service = Object.class, target = "(" + Launcher.PREPARING + "=*)",
            cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ServiceReference<Object>> preparing;

    private final PrintStream out = System.out;
    private final long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
    private Thread thread;

    @Activate
    void activate(BundleContext context) {
        String every = context.getProperty(Launcher.PROGRESS_MILLIS);
        long progressMillis = every == null ? 5_000 : Long.parseLong(every);
        Bundle framework = context.getBundle(0);
        thread = new Thread(() -> watch(progressMillis, framework), "bgupdate-until-complete");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        thread.interrupt();
        thread.join(2_000);
    }

    private void watch(long progressMillis, Bundle framework) {
        String lastKey = null;
        long lastPrint = 0;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                if (framework.getState() == Bundle.STOPPING) { // the launcher has its verdict (or was stopped): nothing to add
                    return;
                }
                Watch w;
                try {
                    List<ServiceReference<Object>> p = preparing;
                    w = Watch.look(updates, this::registered, framework.getState() != Bundle.ACTIVE || p != null && !p.isEmpty());
                } catch (RuntimeException e) { // the runner failed to answer: look again, the deadline is the launcher's
                    w = new Watch(List.of("runner unavailable: " + e), "unavailable", OptionalInt.empty());
                }
                long now = System.currentTimeMillis();
                if (w.exitCode().isPresent() || !w.key().equals(lastKey) || now - lastPrint >= progressMillis) {
                    w.lines().forEach(l -> out.printf(Locale.ROOT, "[%7.1fs] %s%n", (now - startMillis) / 1000.0, l));
                    lastKey = w.key();
                    lastPrint = now;
                }
                if (w.exitCode().isPresent()) {
                    int code = w.exitCode().getAsInt();
                    if (code == Watch.COMPLETE) {
                        summary(now);
                    }
                    exit.accept(code);
                    return;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the names of the updates registered for a database */
    private Set<String> registered(String databaseName) {
        Set<String> names = new TreeSet<>();
        List<ServiceReference<UpdateHandler>> refs = handlers;
        for (ServiceReference<UpdateHandler> ref : refs == null ? List.<ServiceReference<UpdateHandler>>of() : refs) {
            Object name = ref.getProperty(UpdateProperties.NAME);
            Object db = ref.getProperty(UpdateProperties.DATABASE);
            if (name != null && (db == null || db.toString().isBlank() || db.toString().trim().equals(databaseName))) {
                names.add(name.toString().trim());
            }
        }
        return names;
    }

    /** Prints the updates completed by this run, oldest first. */
    private void summary(long now) {
        out.printf(Locale.ROOT, "bgupdate: every background update has completed (%.1f s)%n", (now - startMillis) / 1000.0);
        for (String db : updates.databases()) {
            List<UpdateRun> runs = new ArrayList<>();
            try {
                for (UpdateRun r : updates.history(db)) {
                    if (r.completed().filter(c -> !c.isBefore(Instant.ofEpochMilli(startMillis))).isPresent()) {
                        runs.add(r);
                    }
                }
            } catch (RuntimeException e) {
                continue;
            }
            Collections.reverse(runs);
            for (UpdateRun r : runs) {
                out.printf(Locale.ROOT, "  %-10s %-34s %,10d items %,9d ms busy %8s %s%n", db, r.name(), r.items(), r.busyMillis(),
                        Watch.duration(Duration.between(r.started(), r.completed().get())), r.outcome());
            }
        }
    }
}
