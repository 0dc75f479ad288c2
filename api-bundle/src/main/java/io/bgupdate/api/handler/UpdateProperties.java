package io.bgupdate.api.handler;

/**
 * The service properties of an {@link UpdateHandler} service. The
 * {@link BackgroundUpdate} component property type sets them with type checking.
 */
public final class UpdateProperties {

    /**
     * The name of the update ({@code String}, required): unique per database, at most 255
     * characters, stored as {@code update_name} in the {@code background_updates} table.
     * A handler service without it is ignored, with a warning.
     */
    public static final String NAME = "bgupdate.update.name";

    /**
     * The name of an update that must complete before this one starts ({@code String}, optional):
     * {@code depends_on} in the {@code background_updates} table.
     */
    public static final String DEPENDS_ON = "bgupdate.update.depends.on";

    /**
     * The position of the update in the queue ({@code Integer}, optional, default 0): queued
     * updates run by ascending ordering, then by name.
     */
    public static final String ORDERING = "bgupdate.update.ordering";

    /**
     * The name of the database the update belongs to ({@code String}, optional): when absent the
     * update runs on every database the runner serves.
     */
    public static final String DATABASE = "bgupdate.update.database";

    /**
     * The largest batch of the update, in items ({@code Integer} or a whole number as
     * {@code String}, optional, at least 1): bounds every batch the runner asks of the handler,
     * below the runner configuration's {@code max_batch_size} if that is smaller. A handler
     * service with a value that is not a whole number of at least 1 is ignored, with a warning.
     *
     * @since 1.1
     */
    public static final String MAX_BATCH_SIZE = "bgupdate.update.max.batch.size";

    private UpdateProperties() {
    }
}
