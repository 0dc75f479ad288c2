package io.bgupdate.api;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The runner's status and control surface, registered as an OSGi service by the runner bundle.
 *
 * <p>The runner serves every {@code javax.sql.DataSource} service that its configuration
 * selects, one runner per database, named by the DataSource's {@link #DATABASE_NAME} property
 * (or else its {@code dataSourceName} property, as pax-jdbc sets it). Every method that takes a
 * database name throws {@link IllegalArgumentException} with a one-line message for a name the
 * runner does not serve; every method is thread-safe.
 */
@ProviderType
public interface BackgroundUpdates {

    /**
     * Service property of a {@code javax.sql.DataSource} ({@code String}): the name under which
     * the runner serves it, passed to controllers as {@code databaseName}.
     */
    String DATABASE_NAME = "bgupdate.database";

    /**
     * The name of the embedded H2 database that a plain OSGi host provides by default (bundle
     * {@code io.bgupdate.datasource}, PID {@code io.bgupdate.embedded}).
     */
    String DEFAULT_DATABASE = "main";

    /** @return the names of the databases served, sorted */
    List<String> databases();

    /**
     * @param databaseName a database served
     * @return its status now
     */
    DatabaseStatus status(String databaseName);

    /**
     * @param databaseName a database served
     * @return its updates that have started or completed, newest first, at most 1000
     */
    List<UpdateRun> history(String databaseName);

    /** @return every registered controller, the one in force first, then the built-in default */
    List<ControllerInfo> controllers();

    /**
     * Pauses a database's updates: a batch in flight finishes, then nothing runs until
     * {@link #resume}. The pause is saved in the database, so it survives a restart.
     *
     * @param databaseName a database served
     */
    void pause(String databaseName);

    /**
     * Resumes a paused or aborted database: clears the pause and the failure count.
     *
     * @param databaseName a database served
     */
    void resume(String databaseName);

    /**
     * Queues a registered update again, from empty progress, so that it runs once more.
     *
     * @param updateName the name of an update whose handler is registered for the database
     * @param databaseName a database served
     * @throws IllegalArgumentException if no such handler is registered for the database, or
     *         the update is already queued
     */
    void startJob(String updateName, String databaseName);

    /**
     * @param updateName the name of an update
     * @param databaseName a database served
     * @return whether the update has completed on the database and is not queued again
     */
    boolean hasCompleted(String updateName, String databaseName);

    /**
     * Lets code wait for an update it needs, such as the index that makes its queries fast.
     *
     * @param updateName the name of an update
     * @param databaseName a database served
     * @return a stage that completes when the update has completed on the database; already
     *         complete if it has
     */
    CompletionStage<Void> whenCompleted(String updateName, String databaseName);
}
