/**
 * The status and control of background updates, as the runner provides them to shells,
 * consoles and other bundles: the {@link io.bgupdate.api.BackgroundUpdates} service.
 *
 * <p><b>How this API grows.</b> The status and result types ({@link io.bgupdate.api.DatabaseStatus},
 * {@link io.bgupdate.api.CurrentUpdate}, {@link io.bgupdate.api.QueuedUpdate},
 * {@link io.bgupdate.api.UpdateRun}, {@link io.bgupdate.api.ControllerInfo},
 * {@link io.bgupdate.api.ControllerFault}) are {@code @ProviderType} interfaces of accessors,
 * implemented by the runner only. A later minor version may add an accessor to any of them;
 * every consumer (shell, consoles, health checks) keeps working unchanged, and only the
 * provider, the runner, must follow. Records were not kept, because a new component changes the
 * canonical constructor, a major change for every importer; OSGi DTOs (public mutable fields)
 * were not chosen, because a status is a snapshot that must not change in a consumer's hands
 * and the accessor names consumers already call are kept. Outcomes and fault kinds are enums;
 * a consumer that switches on one keeps a default branch, since later versions may add
 * constants. Every later addition carries {@code @since} with its package version.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.api;
