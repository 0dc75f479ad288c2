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
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.bgupdate.api.handler;
