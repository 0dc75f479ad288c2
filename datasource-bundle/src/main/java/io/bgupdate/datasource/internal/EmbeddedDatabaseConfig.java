package io.bgupdate.datasource.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The embedded H2 database (PID {@value EmbeddedDatabase#PID}). */
@ObjectClassDefinition(name = "bgupdate embedded database",
        description = "An H2 database in a file, registered as a DataSource for the runner when no other is configured.")
@interface EmbeddedDatabaseConfig {

    @AttributeDefinition(name = "Enabled", description = "Whether to provide the embedded database.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Database name", description = "The name the runner and controllers know it by.")
    String name() default io.bgupdate.api.BackgroundUpdates.DEFAULT_DATABASE;

    @AttributeDefinition(name = "JDBC URL", description = "The H2 URL; empty for a file 'bgupdate' in the directory"
            + " given by the framework property bgupdate.data.dir (default: ./data).")
    String url() default "";
}
