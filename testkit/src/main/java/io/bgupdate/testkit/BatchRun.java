package io.bgupdate.testkit;

import java.util.Optional;
import java.util.OptionalLong;

import io.bgupdate.api.handler.Progress;

/**
 * One batch a {@link HandlerDriver} ran.
 *
 * @param size the items the handler was asked for
 * @param items the items the handler reported
 * @param progressBefore the progress the batch started from
 * @param progressAfter the progress the handler saved; empty if it completed the update
 * @param remainingBefore what {@code estimateRemaining} said before the batch
 * @param committed whether the batch was committed (a {@linkplain HandlerDriver#runBatchRolledBack() rolled-back} one was not)
 */
public record BatchRun(int size, int items, Progress progressBefore, Optional<Progress> progressAfter,
        OptionalLong remainingBefore, boolean committed) {

    /** @return whether the handler marked the update complete */
    public boolean completed() {
        return progressAfter.isEmpty();
    }
}
