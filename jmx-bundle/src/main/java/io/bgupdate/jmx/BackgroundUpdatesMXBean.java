package io.bgupdate.jmx;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The management interface of one database's background updates, as JMX shows it: the status of
 * {@link io.bgupdate.api.BackgroundUpdates#status} as attributes, and its pause, resume and
 * start-job as operations. Every attribute is read afresh from the runner when it is read.
 *
 * <p>Registered as the MBean {@value #DOMAIN}{@code :type=}{@value #TYPE}{@code ,database=NAME}
 * (the name quoted with {@link javax.management.ObjectName#quote} if it has characters that an
 * ObjectName value cannot hold). In Karaf, reading the attributes needs the {@code viewer} role and
 * the operations the {@code admin} role ({@code etc/jmx.acl.io.bgupdate.BackgroundUpdates.cfg}).
 */
@ProviderType
public interface BackgroundUpdatesMXBean {

    /** The domain of the ObjectNames. */
    String DOMAIN = "io.bgupdate";

    /** The {@code type} key of the ObjectNames. */
    String TYPE = "BackgroundUpdates";

    /** @return the database's name */
    String getDatabaseName();

    /** @return the state: ABORTED, DISABLED (paused), NOT_STARTED, RUNNING or COMPLETE */
    String getState();

    /** @return the name of this host (framework property {@code bgupdate.host.id}) */
    String getHost();

    /** @return the host that runs the database's updates, this one or another sharing the database; empty if none is known */
    String getRunsOn();

    /** @return the update being run; empty if none */
    String getCurrentUpdate();

    /** @return the current update's items done, over all runs; 0 if none */
    long getItemsDone();

    /** @return the current update's items left, where its handler can estimate them; -1 if unknown */
    long getItemsRemaining();

    /** @return the share of the current update done, in percent from 0 to 100; -1 if unknown */
    double getPercentDone();

    /**
     * @return the current update's speed while its batches run, in items per second (the average
     *         the batch sizing uses, without the controller's waits); -1 if not yet measured
     */
    double getItemsPerSecond();

    /** @return the estimated seconds left of the current update, the controller's waits included; -1 if unknown */
    long getEtaSeconds();

    /** @return items processed on this database since the runner started */
    long getTotalItems();

    /** @return milliseconds spent in handlers on this database since the runner started */
    long getTotalBusyMillis();

    /** @return the queued updates, in the order they run */
    List<String> getQueue();

    /** @return the controller in force for the next batch: type, bundle, service id and ranking */
    String getController();

    /** @return controller faults since start, by cause */
    Map<String, Long> getFaults();

    /** @return the controller faults since start, all causes together */
    long getFaultCount();

    /** @return what stops updates from running now: a dependency cycle, a missing handler, the last failure */
    List<String> getErrors();

    /** Pauses the database's updates: the batch in flight finishes; the pause survives a restart. */
    void pause();

    /** Resumes the database's updates, also after an abort. */
    void resume();

    /**
     * Queues a registered update again, from empty progress.
     *
     * @param updateName the update's name
     * @throws IllegalArgumentException if no handler is registered for it, or it is already queued
     */
    void startJob(String updateName);
}
