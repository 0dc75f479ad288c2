package io.bgupdate.benchmarks;

/**
 * One handler call as the handler saw it.
 *
 * @param start {@link System#nanoTime()} when the call began
 * @param end when it returned
 * @param size the batch size the runner asked for
 * @param items the items processed
 * @param owner the tag of the controller that entered the batch, {@code null} if another one did
 * @param target the duration that controller asked for, in ms (-1 if unknown)
 */
record Call(long start, long end, int size, int items, String owner, long target) {

    long nanos() {
        return end - start;
    }
}
