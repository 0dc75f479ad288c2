package io.bgupdate.api;

/**
 * The state of one database's runner, as Synapse's background update status gauge. Later
 * versions may add constants: a consumer that switches on it keeps a default branch.
 */
public enum RunnerState {
    /** Stopped after five handler failures in a row, until an operator resumes it. */
    ABORTED,
    /** Paused by an operator. */
    DISABLED,
    /** Started, but no update has run yet. */
    NOT_STARTED,
    /** Updates are queued and being run. */
    RUNNING,
    /** Nothing is queued. */
    COMPLETE
}
