/**
 * The handler SPI: the code of background updates, registered by any bundle (whiteboard).
 *
 * <p>A bundle registers an {@link io.bgupdate.api.handler.UpdateHandler} service with the
 * property {@link io.bgupdate.api.handler.UpdateProperties#NAME} (and optionally
 * {@link io.bgupdate.api.handler.UpdateProperties#DEPENDS_ON},
 * {@link io.bgupdate.api.handler.UpdateProperties#ORDERING},
 * {@link io.bgupdate.api.handler.UpdateProperties#DATABASE},
 * {@link io.bgupdate.api.handler.UpdateProperties#MAX_BATCH_SIZE}), most simply with the
 * {@link io.bgupdate.api.handler.BackgroundUpdate} component property type. The runner queues
 * every registered update that has never completed on its database and calls it batch by batch.
 * {@link io.bgupdate.api.handler.IndexUpdate}, {@link io.bgupdate.api.handler.ConstraintValidation}
 * and {@link io.bgupdate.api.handler.UpdateHandler#noOp()} are ready made.
 *
 * <p><b>How this API grows.</b> {@link io.bgupdate.api.handler.Batch} is a {@code @ProviderType}
 * interface with only what every handler needs: a later minor version may add a method (the
 * runner and the test kit follow), and handlers keep working. Database-specific work is not a
 * method of {@code Batch}: {@link io.bgupdate.api.handler.IndexUpdate} and
 * {@link io.bgupdate.api.handler.ConstraintValidation} are descriptions that the runner
 * recognises and executes through its database dialect, so a new ready-made update is a new
 * class here, not a change of {@code Batch}, and no test double has to copy the runner's SQL:
 * the test kit ({@code io.bgupdate:bgupdate-testkit}) executes them with the runner's own code.
 * Every later addition carries {@code @since} with its package version.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package io.bgupdate.api.handler;
