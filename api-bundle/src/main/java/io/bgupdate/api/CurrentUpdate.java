package io.bgupdate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import org.osgi.annotation.versioning.ProviderType;

import io.bgupdate.api.handler.Progress;

/** The update a database's runner is working on, in a {@link DatabaseStatus}. Immutable. */
@ProviderType
public interface CurrentUpdate {

    /** @return the update */
    String name();

    /** @return when it first ran, as its history row says */
    Instant started();

    /** @return items processed so far, over all runs of the host */
    long items();

    /** @return milliseconds spent in its handler so far, over all runs of the host */
    long busyMillis();

    /** @return batches committed since this host started it */
    long batches();

    /** @return the size of the last batch asked for, 0 before the first */
    int lastBatchSize();

    /** @return the progress saved by its last committed batch */
    Progress progress();

    /** @return items left, where the handler can estimate them */
    OptionalLong remaining();

    /**
     * @return estimated time left at the wall-clock speed since this host started it (sleeps and
     *         throttling included), where the remaining items are known
     */
    Optional<Duration> eta();

    /** @return the share done from 0 to 1, where the remaining items are known */
    default OptionalDouble fractionDone() {
        if (remaining().isEmpty()) {
            return OptionalDouble.empty();
        }
        long total = items() + remaining().getAsLong();
        return OptionalDouble.of(total == 0 ? 1.0 : (double) items() / total);
    }
}
