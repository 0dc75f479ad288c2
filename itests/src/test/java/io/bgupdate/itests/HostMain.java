package io.bgupdate.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import javax.sql.DataSource;

import org.osgi.framework.Constants;

import io.bgupdate.api.BackgroundUpdates;
import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;
import io.bgupdate.testkit.Increment;

/**
 * One application host as a process of its own, for {@link ClusterIT} and {@link CrashIT}: a
 * Felix framework with bgupdate on the given database (PostgreSQL unless {@code -Ditest.db}
 * says otherwise), a back-fill of the table {@code items} as update {@code items_backfill}, and
 * a controller with no sleep. Prints {@code READY host} once the handler is registered, and
 * {@code COMPLETE host rows=.. once=.. more=..} when the update has completed. Runs until its
 * standard input closes or it is killed.
 *
 * <p>Arguments: database (PostgreSQL URL, or H2 data directory), host id, microseconds per item,
 * and optionally {@code increment ROWS} for the non-idempotent {@code n = n + 1} back-fill of
 * {@link Increment} instead of {@link Backfill}, its table created with ROWS rows if missing.
 */
public final class HostMain {

    private HostMain() {
    }

    /** Starts a host process with this JVM's class path, its output in {@code log}, and waits until it is ready. */
    static Process start(Path log, String database, String hostId, long microsPerItem, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Dbundles.dir=" + System.getProperty("bundles.dir"), "-Ditest.work.dir=" + System.getProperty("itest.work.dir"),
                "-Ditest.pg.dir=" + System.getProperty("itest.pg.dir"), "-Ditest.db=" + (TestDatabase.postgres() ? "postgresql" : "h2"),
                HostMain.class.getName(), database, hostId, Long.toString(microsPerItem)));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            awaitLine(p, log, "READY " + hostId, Duration.ofSeconds(60));
        } catch (AssertionError e) {
            p.destroyForcibly(); // never left running behind a failed test
            throw e;
        }
        return p;
    }

    /** Waits until the host's log has the line, failing early if the host died. */
    static void awaitLine(Process p, Path log, String line, Duration timeout) {
        Await.until(line + " (log " + log + ")", timeout, () -> {
            try {
                if (Files.readString(log).contains(line)) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the host died before " + line + " (log " + log + ")");
            }
            return false;
        });
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("itest.db") == null) {
            System.setProperty("itest.db", "postgresql");
        }
        String hostId = args[1];
        long micros = Long.parseLong(args[2]);
        boolean increment = args.length > 3 && args[3].equals("increment");
        try (EmbeddedFelix felix = new EmbeddedFelix(args[0], hostId)) {
            Hashtable<String, Object> controllerProps = new Hashtable<>();
            controllerProps.put(Constants.SERVICE_RANKING, 10);
            felix.context().registerService(BackgroundUpdateController.class,
                    (BackgroundUpdateController) (u, d, oneShot) -> () -> CompletableFuture.completedFuture(20L), controllerProps);
            UpdateHandler handler;
            if (increment) {
                DataSource db = felix.service(DataSource.class, "(" + BackgroundUpdates.DATABASE_NAME + "=main)");
                try (var c = db.getConnection(); var tables = c.getMetaData().getTables(null, null, "%", null)) {
                    boolean exists = false;
                    while (tables.next()) {
                        exists |= tables.getString("TABLE_NAME").equalsIgnoreCase("items");
                    }
                    if (!exists) {
                        Increment.create(db, "items", Integer.parseInt(args[4]));
                    }
                }
                Increment items = new Increment("items");
                handler = batch -> {
                    int n = items.run(batch);
                    Thread.sleep(micros * n / 1000, (int) (micros * n % 1000) * 1000);
                    return n;
                };
            } else {
                Backfill backfill = new Backfill("items");
                backfill.microsPerItem.set(micros);
                handler = backfill;
            }
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(UpdateProperties.NAME, "items_backfill");
            felix.context().registerService(UpdateHandler.class, handler, props);
            System.out.println("READY " + hostId);
            System.out.flush();
            if (increment) {
                BackgroundUpdates updates = felix.service(BackgroundUpdates.class, null);
                DataSource db = felix.service(DataSource.class, "(" + BackgroundUpdates.DATABASE_NAME + "=main)");
                updates.whenCompleted("items_backfill", "main").thenRun(() -> {
                    try {
                        long[] rows = Increment.check(db, "items");
                        System.out.println("COMPLETE " + hostId + " rows=" + rows[0] + " once=" + rows[1] + " more=" + rows[2]);
                    } catch (Exception e) {
                        System.out.println("COMPLETE " + hostId + " but the check failed: " + e);
                    }
                    System.out.flush();
                });
            }
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
