package io.bgupdate.api;

import org.osgi.annotation.versioning.ProviderType;

/** A controller the runner can use, in a {@link DatabaseStatus} and {@link BackgroundUpdates#controllers()}. Immutable. */
@ProviderType
public interface ControllerInfo {

    /** @return the controller's class name */
    String type();

    /** @return the symbolic name of the bundle that registered it */
    String bundle();

    /** @return its {@code service.id}; 0 for the built-in default controller */
    long serviceId();

    /** @return its {@code service.ranking}; 0 for the built-in default controller */
    int ranking();

    /** @return whether it is the runner's default controller, in force when none is registered */
    boolean builtIn();

    /** @return whether it is in force for the next batch */
    boolean active();
}
