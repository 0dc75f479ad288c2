package io.bgupdate.api.handler;

import java.util.Objects;

/**
 * A ready-made one-shot update that validates a constraint added {@code NOT VALID}, as
 * Synapse's {@code register_background_validate_constraint}. It is a description: the runner
 * executes it the way its database does it, on PostgreSQL {@code ALTER TABLE ... VALIDATE
 * CONSTRAINT} in the batch's transaction without a statement timeout, which checks the existing
 * rows without blocking writes; databases without {@code NOT VALID} constraints (H2) validate
 * when the constraint is added, so there it completes at once.
 *
 * <pre>
 * context.registerService(UpdateHandler.class, new ConstraintValidation("events", "events_room_fk"), props);
 * </pre>
 */
public final class ConstraintValidation implements UpdateHandler {

    private final String table;
    private final String constraint;

    /**
     * Checks both names, so a bad one fails at registration and never reaches SQL.
     *
     * @param table the table, checked as by {@link IndexUpdate#identifier}
     * @param constraint the constraint, checked likewise
     * @throws IllegalArgumentException if a name is not a plain SQL identifier
     */
    public ConstraintValidation(String table, String constraint) {
        this.table = IndexUpdate.identifier(table, "table name");
        this.constraint = IndexUpdate.identifier(constraint, "constraint name");
    }

    /** @return the table */
    public String table() {
        return table;
    }

    /** @return the constraint */
    public String constraint() {
        return constraint;
    }

    /**
     * Not called: the runner (and the test kit) recognises a {@code ConstraintValidation},
     * validates the constraint the way its database does it and completes the update.
     *
     * @throws UnsupportedOperationException always, naming the rule
     */
    @Override
    public int run(Batch batch) {
        throw new UnsupportedOperationException(this + " is a description: the bgupdate runner or its test kit executes it");
    }

    /** @return {@code true}: a constraint is validated in one go */
    @Override
    public boolean oneShot() {
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConstraintValidation v && v.table.equals(table) && v.constraint.equals(constraint);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, constraint);
    }

    @Override
    public String toString() {
        return "ConstraintValidation[" + constraint + " on " + table + "]";
    }
}
