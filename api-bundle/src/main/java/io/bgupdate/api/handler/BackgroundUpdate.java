package io.bgupdate.api.handler;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Sets the {@link UpdateProperties} of a Declarative Services component that provides an
 * {@link UpdateHandler}:
 *
 * <pre>
 * &#64;Component(service = UpdateHandler.class)
 * &#64;BackgroundUpdate(name = "events_kind_index", depends_on = "events_kind_backfill")
 * public class EventsKindIndex implements UpdateHandler { ... }
 * </pre>
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface BackgroundUpdate {

    /** The prefix that turns the element names below into the {@link UpdateProperties} keys. */
    String PREFIX_ = "bgupdate.update.";

    /** @return {@link UpdateProperties#NAME} */
    String name();

    /** @return {@link UpdateProperties#DEPENDS_ON}; empty for none */
    String depends_on() default "";

    /** @return {@link UpdateProperties#ORDERING} */
    int ordering() default 0;

    /** @return {@link UpdateProperties#DATABASE}; empty for every database */
    String database() default "";
}
