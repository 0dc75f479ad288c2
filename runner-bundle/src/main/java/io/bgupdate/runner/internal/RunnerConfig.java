package io.bgupdate.runner.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * The runner's configuration (PID {@value BackgroundUpdatesService#PID}): Synapse's five
 * background-update keys, which drive the built-in default controller and the batch sizes,
 * the batch sizing and its bound, plus the choice of databases. A double underscore in a method name is a single underscore in
 * the property key, so the keys are exactly Synapse's.
 */
@ObjectClassDefinition(name = "bgupdate runner", description = "Runs background database updates in throttled batches.")
@interface RunnerConfig {

    @AttributeDefinition(name = "Batch duration (ms)", min = "0",
            description = "How long the default controller wants each batch to take.")
    long background__update__duration__ms() default 100;

    @AttributeDefinition(name = "Sleep enabled", description = "Whether the default controller sleeps before every batch.")
    boolean sleep__enabled() default true;

    @AttributeDefinition(name = "Sleep duration (ms)", min = "0",
            description = "How long the default controller sleeps before every batch, the first included.")
    long sleep__duration__ms() default 1000;

    @AttributeDefinition(name = "Minimum batch size", min = "1",
            description = "Items of the smallest batch, when the controller does not say.")
    int min__batch__size() default 1;

    @AttributeDefinition(name = "Default batch size", min = "1",
            description = "Items of the first batch of an update, when the controller does not say.")
    int default__batch__size() default 100;

    @AttributeDefinition(name = "Retry back-off (ms)", min = "1",
            description = "The wait after a failed batch; it doubles with each failure in a row, up to 5 minutes.")
    long retry__backoff__ms() default 1000;

    @AttributeDefinition(name = "Batch sizing", options = {
            @Option(label = "Synapse's moving averages", value = "synapse"),
            @Option(label = "Tracking: follows a change of speed within 1-3 batches, grows at most x2", value = "tracking")},
            description = "How batches are sized from the desired duration; applies to updates whose first batch comes after the change.")
    String batch__sizing() default "synapse";

    @AttributeDefinition(name = "Maximum batch size", min = "0",
            description = "Items of the largest batch (0: no bound); an update's bgupdate.update.max.batch.size may lower it.")
    int max__batch__size() default 0;

    @AttributeDefinition(name = "Databases",
            description = "LDAP filter selecting the javax.sql.DataSource services to run updates on.")
    String dataSources_target() default "(" + io.bgupdate.api.BackgroundUpdates.DATABASE_NAME + "=*)";
}
