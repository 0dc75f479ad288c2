package io.bgupdate.datasource.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One database reached through a JDBC driver's DataSourceFactory (factory PID {@value ConfiguredDatabase#FACTORY_PID}). */
@ObjectClassDefinition(name = "bgupdate database",
        description = "A database for background updates, reached through a JDBC driver's DataSourceFactory, such as PostgreSQL's.")
@interface ConfiguredDatabaseConfig {

    @AttributeDefinition(name = "Database name", description = "The name the runner and controllers know it by.")
    String name();

    @AttributeDefinition(name = "JDBC URL", description = "For example jdbc:postgresql://db.example.com:5432/app")
    String url();

    @AttributeDefinition(name = "User", required = false)
    String user() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD, required = false,
            description = "Never logged nor shown by bgupdate.")
    String password() default "";

    @AttributeDefinition(name = "Driver", description = "LDAP filter selecting the driver's DataSourceFactory service.")
    String driver_target() default "(osgi.jdbc.driver.class=org.postgresql.Driver)";
}
