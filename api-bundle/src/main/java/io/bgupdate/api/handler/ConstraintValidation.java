package io.bgupdate.api.handler;

/**
 * A ready-made one-shot handler that validates a constraint added {@code NOT VALID}, as
 * Synapse's {@code register_background_validate_constraint}: on PostgreSQL
 * {@code ALTER TABLE ... VALIDATE CONSTRAINT}, which checks the existing rows without blocking
 * writes. Databases without {@code NOT VALID} constraints (H2) validate when the constraint is
 * added, so there it completes at once.
 *
 * <pre>
 * context.registerService(UpdateHandler.class, new ConstraintValidation("events", "events_room_fk"), props);
 * </pre>
 *
 * @param table the table, checked as by {@link IndexUpdate#identifier}
 * @param constraint the constraint, checked likewise
 */
public record ConstraintValidation(String table, String constraint) implements UpdateHandler {

    /** Checks both names, so a bad one fails at registration and never reaches SQL. */
    public ConstraintValidation {
        IndexUpdate.identifier(table, "table name");
        IndexUpdate.identifier(constraint, "constraint name");
    }

    /** Validates through {@link Batch#validateConstraint(ConstraintValidation)} and completes. */
    @Override
    public int run(Batch batch) throws Exception {
        batch.validateConstraint(this);
        batch.complete();
        return 1;
    }

    /** @return {@code true}: a constraint is validated in one go */
    @Override
    public boolean oneShot() {
        return true;
    }
}
