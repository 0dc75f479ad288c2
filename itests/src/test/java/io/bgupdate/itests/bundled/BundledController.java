package io.bgupdate.itests.bundled;

import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.controller.Iteration;

/**
 * A controller in a bundle of its own (built by the test with TinyBundles), registered at the
 * ranking its manifest header {@code X-Controller-Ranking} says, so that a test can install, stop
 * and start a controller bundle.
 */
public class BundledController implements BackgroundUpdateController, BundleActivator {

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Constants.SERVICE_RANKING, Integer.valueOf(context.getBundle().getHeaders().get("X-Controller-Ranking")));
        context.registerService(BackgroundUpdateController.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
    }

    @Override
    public Iteration onUpdate(String updateName, String databaseName, boolean oneShot) {
        return () -> CompletableFuture.completedFuture(20L);
    }
}
