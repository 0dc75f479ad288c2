package io.bgupdate.examples.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The example application (PID {@value ExampleApplication#PID}). A double underscore in a method
 * name is a single underscore in the property key.
 */
@ObjectClassDefinition(name = "bgupdate example updates",
        description = "A small chat schema generated on first start, and the background updates that run on it.")
@interface ExamplesConfig {

    @AttributeDefinition(name = "Rows", min = "0",
            description = "Events generated when the example schema is created in an empty database; later changes have no effect.")
    int rows() default 200_000;

    @AttributeDefinition(name = "Retention (days)", min = "1",
            description = "The purge deletes events older than this; the generated events span the last 120 days.")
    int retention__days() default 90;

    @AttributeDefinition(name = "Database",
            description = "LDAP filter selecting the javax.sql.DataSource service the example application lives in.")
    String dataSource_target() default "(" + io.bgupdate.api.BackgroundUpdates.DATABASE_NAME + "="
            + io.bgupdate.api.BackgroundUpdates.DEFAULT_DATABASE + ")";
}
