package io.bgupdate.api;

/**
 * A controller the runner can use.
 *
 * @param type the controller's class name
 * @param bundle the symbolic name of the bundle that registered it
 * @param serviceId its {@code service.id}; 0 for the built-in default controller
 * @param ranking its {@code service.ranking}; 0 for the built-in default controller
 * @param builtIn whether it is the runner's default controller, in force when none is registered
 * @param active whether it is in force for the next batch
 */
public record ControllerInfo(String type, String bundle, long serviceId, int ranking, boolean builtIn, boolean active) {
}
