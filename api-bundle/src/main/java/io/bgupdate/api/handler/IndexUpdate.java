package io.bgupdate.api.handler;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A ready-made one-shot update that creates an index, as Synapse's
 * {@code register_background_index_update}: optionally unique, optionally partial (a
 * {@code WHERE} clause), optionally replacing an older index, which is dropped once the new one
 * exists. It is a description: the runner executes it the way its database does it best (on
 * H2 {@code CREATE INDEX IF NOT EXISTS} in the batch's transaction; on PostgreSQL
 * {@code CREATE INDEX CONCURRENTLY} outside it, without a statement timeout, after dropping a
 * half-built invalid index of the same name), then completes the update. Register it as an
 * {@link UpdateHandler} service like any other handler:
 *
 * <pre>
 * context.registerService(UpdateHandler.class,
 *     IndexUpdate.on("events", "kind").named("events_kind_idx").replacing("events_old_idx").build(),
 *     props);
 * </pre>
 *
 * <p>Table, column and index names are checked when built (letters, digits and underscores,
 * not starting with a digit, at most 63 characters), so a bad name fails at registration and
 * never reaches SQL. The {@code WHERE} clause is SQL written by the developer and used as is.
 */
public final class IndexUpdate implements UpdateHandler {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");

    private final String table;
    private final List<String> columns;
    private final String indexName;
    private final boolean unique;
    private final Optional<String> where;
    private final Optional<String> replaces;

    private IndexUpdate(Builder b) {
        this.table = b.table;
        this.columns = b.columns;
        this.indexName = b.indexName != null ? b.indexName : identifier(table + "_" + String.join("_", columns) + "_idx", "index name");
        this.unique = b.unique;
        this.where = Optional.ofNullable(b.where);
        this.replaces = Optional.ofNullable(b.replaces);
    }

    /**
     * Starts describing an index.
     *
     * @param table the table to index
     * @param columns the indexed columns, in order, at least one
     * @return a builder
     * @throws IllegalArgumentException if a name is not a plain SQL identifier
     */
    public static Builder on(String table, String... columns) {
        return new Builder(table, columns);
    }

    /**
     * Checks a table, column or index name.
     *
     * @param name the name
     * @param what what it names, for the message
     * @return the name
     * @throws IllegalArgumentException if it is not letters, digits and underscores, not
     *         starting with a digit, of 1 to 63 characters
     */
    public static String identifier(String name, String what) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " '" + name
                    + "': use letters, digits and _, not starting with a digit, at most 63 characters");
        }
        return name;
    }

    /**
     * Not called: the runner (and the test kit) recognises an {@code IndexUpdate} and builds the
     * index the way its database does it best, then completes the update.
     *
     * @throws UnsupportedOperationException always, naming the rule
     */
    @Override
    public int run(Batch batch) {
        throw new UnsupportedOperationException(this + " is a description: the bgupdate runner or its test kit executes it");
    }

    /** @return {@code true}: an index is created in one go */
    @Override
    public boolean oneShot() {
        return true;
    }

    /** @return the indexed table */
    public String table() {
        return table;
    }

    /** @return the indexed columns, in order */
    public List<String> columns() {
        return columns;
    }

    /** @return the name of the index; by default {@code <table>_<columns>_idx} */
    public String indexName() {
        return indexName;
    }

    /** @return whether the index is unique */
    public boolean unique() {
        return unique;
    }

    /** @return the {@code WHERE} clause of a partial index, without the keyword */
    public Optional<String> where() {
        return where;
    }

    /** @return the index dropped once this one exists */
    public Optional<String> replaces() {
        return replaces;
    }

    @Override
    public String toString() {
        return "IndexUpdate[" + indexName + " on " + table + columns + (unique ? " unique" : "")
                + where.map(w -> " where " + w).orElse("") + replaces.map(r -> " replacing " + r).orElse("") + "]";
    }

    /** Describes an {@link IndexUpdate}; every name is checked as it is given. */
    public static final class Builder {
        private final String table;
        private final List<String> columns;
        private String indexName;
        private boolean unique;
        private String where;
        private String replaces;

        private Builder(String table, String... columns) {
            this.table = identifier(table, "table name");
            if (columns.length == 0) {
                throw new IllegalArgumentException("an index needs at least one column");
            }
            for (String c : columns) {
                identifier(c, "column name");
            }
            this.columns = List.of(columns);
        }

        /**
         * @param name the name of the index
         * @return this builder
         */
        public Builder named(String name) {
            this.indexName = identifier(name, "index name");
            return this;
        }

        /** @return this builder, for a unique index */
        public Builder unique() {
            this.unique = true;
            return this;
        }

        /**
         * @param clause the condition of a partial index, SQL without the {@code WHERE} keyword
         * @return this builder
         */
        public Builder where(String clause) {
            this.where = Objects.requireNonNull(clause, "clause").isBlank() ? null : clause;
            return this;
        }

        /**
         * @param oldIndex an index to drop once the new one exists
         * @return this builder
         */
        public Builder replacing(String oldIndex) {
            this.replaces = identifier(oldIndex, "replaced index name");
            return this;
        }

        /** @return the handler */
        public IndexUpdate build() {
            return new IndexUpdate(this);
        }
    }
}
