package io.bgupdate.benchmarks;

/**
 * What the controllers tell the handlers: which controller entered the batch about to run and
 * what duration it asked for. The runner runs one batch at a time per database, entering the
 * iteration before the handler call, so the handler takes the values the last enter left.
 */
final class Probe {

    /** Who entered the batch: a controller's tag, or {@code null} for one the harness did not write. */
    private volatile String enteredBy;
    private volatile long target = -1;

    void entered(String tag, long targetMillis) {
        target = targetMillis;
        enteredBy = tag;
    }

    /** An iteration that entered was abandoned before its batch ran: the next batch is not its. */
    void abandoned(String tag) {
        if (tag.equals(enteredBy)) {
            enteredBy = null;
        }
    }

    /** @return the tag of the controller that entered the batch now starting, and forgets it */
    String take() {
        String by = enteredBy;
        enteredBy = null;
        return by;
    }

    /** @return the duration the last controller that entered asked for, -1 if unknown */
    long target() {
        return target;
    }
}
