package io.bgupdate.examples.internal;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the example schema (and on a first start its data, seconds for 200,000 events) on a
 * thread of its own, so that activating the example application returns at once, then hands
 * the outcome over. {@link #stop} ends it between two inserts; what it had not committed is
 * rolled back and the next start generates the data again.
 */
final class SchemaPreparation {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaPreparation.class);

    private final Thread thread;
    private volatile boolean stopped;

    /**
     * @param databaseName for the thread's name and the log
     * @param rows the events to generate in an empty database
     * @param ready called on the thread once the schema and its data exist, unless stopped before
     * @param finished called on the thread last, whatever happened
     */
    SchemaPreparation(DataSource dataSource, String databaseName, int rows, Consumer<ExampleSchema.Outcome> ready,
            Runnable finished) {
        thread = new Thread(() -> {
            try {
                ExampleSchema.Outcome o = ExampleSchema.createIfAbsent(dataSource, rows, System.currentTimeMillis(), () -> stopped);
                if (o.created()) {
                    LOG.info("Database {}: created the example schema with {} events in {} rooms in {} ms", databaseName,
                            o.events(), o.rooms(), o.millis());
                } else {
                    LOG.info("Database {}: example schema present ({} events in {} rooms)", databaseName, o.events(), o.rooms());
                }
                if (!stopped) {
                    ready.accept(o);
                }
            } catch (CancellationException e) {
                LOG.info("Database {}: example schema not finished, {}; it is generated again at the next start",
                        databaseName, e.getMessage());
            } catch (Throwable e) { // a thread of ours never dies silently
                LOG.error("Database {}: cannot create the example schema; the example updates are not registered",
                        databaseName, e);
            } finally {
                finished.run();
            }
        }, "bgupdate-examples-schema-" + databaseName);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Asks the thread to stop and waits for it.
     *
     * @return whether it ended within the deadline
     */
    boolean stop(Duration deadline) throws InterruptedException {
        stopped = true;
        thread.join(Math.max(1, deadline.toMillis()));
        return !thread.isAlive();
    }
}
