package io.bgupdate.itests;

import java.util.Hashtable;
import java.util.concurrent.CompletableFuture;

import org.osgi.framework.Constants;

import io.bgupdate.api.controller.BackgroundUpdateController;
import io.bgupdate.api.handler.UpdateHandler;
import io.bgupdate.api.handler.UpdateProperties;

/**
 * One application host for {@link ClusterIT}, as a process of its own: a Felix framework with
 * bgupdate on the given PostgreSQL database, the test's back-fill handler and a controller with
 * no sleep. Runs until its standard input closes or it is killed.
 *
 * <p>Arguments: database URL, host id, microseconds per item.
 */
public final class HostMain {

    private HostMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("itest.db", "postgresql");
        try (EmbeddedFelix felix = new EmbeddedFelix(args[0], args[1])) {
            Backfill backfill = new Backfill("items");
            backfill.microsPerItem.set(Long.parseLong(args[2]));
            Hashtable<String, Object> controllerProps = new Hashtable<>();
            controllerProps.put(Constants.SERVICE_RANKING, 10);
            felix.context().registerService(BackgroundUpdateController.class,
                    (BackgroundUpdateController) (u, d, oneShot) -> () -> CompletableFuture.completedFuture(20L), controllerProps);
            Hashtable<String, Object> props = new Hashtable<>();
            props.put(UpdateProperties.NAME, "items_backfill");
            felix.context().registerService(UpdateHandler.class, backfill, props);
            System.out.println("READY " + args[1]);
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our input
            }
        }
    }
}
