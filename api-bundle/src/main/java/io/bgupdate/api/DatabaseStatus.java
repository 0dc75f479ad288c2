package io.bgupdate.api;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The status of one database's background updates at one moment, as
 * {@link BackgroundUpdates#status(String)} returns it. Immutable.
 */
@ProviderType
public interface DatabaseStatus {

    /** @return the database */
    String databaseName();

    /** @return the state of its updates, the same on every host sharing the database */
    RunnerState state();

    /**
     * @return the name of this host (framework property {@code bgupdate.host.id}, by default
     *         host name and process id)
     */
    String host();

    /**
     * @return the host that runs the database's updates: this one, or another sharing the
     *         database (PostgreSQL); empty while none is known
     */
    Optional<String> runsOn();

    /** @return the update being run, if any: once chosen, an update stays current until it completes */
    Optional<CurrentUpdate> current();

    /** @return items processed on this database since the runner started */
    long totalItems();

    /** @return milliseconds spent in handlers on this database since the runner started */
    long totalBusyMillis();

    /** @return the current update's averaged items per millisecond, as the batch sizing uses it */
    OptionalDouble averageItemsPerMs();

    /** @return the queued updates, in the order they run */
    List<QueuedUpdate> queue();

    /** @return the controller in force for the next batch */
    ControllerInfo controller();

    /** @return controller faults since start, one entry per cause, each logged once */
    List<ControllerFault> faults();

    /**
     * @return what stops updates from running now: a dependency cycle, a queued update without
     *         a handler, the last handler failure
     */
    List<String> errors();
}
