package io.bgupdate.runner.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.controller.BackgroundUpdateController;

/**
 * The registered controllers and the choice among them: the highest {@code service.ranking}
 * wins, ties to the lowest {@code service.id} ({@link ServiceReference#compareTo}), else the
 * built-in default. The choice is computed on every call, because a ranking can change while
 * the service stays registered.
 */
final class Controllers {

    /** The controller chosen for one batch, with what the status says of it. */
    record Chosen(BackgroundUpdateController controller, ControllerInfo info) {
    }

    private final Map<ServiceReference<?>, BackgroundUpdateController> registered = new ConcurrentHashMap<>();
    private final Chosen builtIn;

    Controllers(BackgroundUpdateController defaultController, String runnerBundle) {
        this.builtIn = new Chosen(defaultController,
                new StatusRecords.Controller(DefaultController.class.getName(), runnerBundle, 0, 0, true, true));
    }

    void add(ServiceReference<?> ref, BackgroundUpdateController controller) {
        registered.put(ref, controller);
    }

    void remove(ServiceReference<?> ref) {
        registered.remove(ref);
    }

    Chosen builtIn() {
        return builtIn;
    }

    /** @return the controller for the next batch */
    Chosen active() {
        ServiceReference<?> best = null;
        BackgroundUpdateController controller = null;
        for (Map.Entry<ServiceReference<?>, BackgroundUpdateController> e : registered.entrySet()) {
            if (best == null || e.getKey().compareTo(best) > 0) {
                best = e.getKey();
                controller = e.getValue();
            }
        }
        return best == null ? builtIn : new Chosen(controller, info(best, controller, true));
    }

    /** @return every controller, the one in force first, then by ranking, then the built-in one */
    List<ControllerInfo> all() {
        Chosen active = active();
        List<ServiceReference<?>> refs = new ArrayList<>(registered.keySet());
        refs.sort(Comparator.<ServiceReference<?>>naturalOrder().reversed());
        List<ControllerInfo> result = new ArrayList<>();
        for (ServiceReference<?> ref : refs) {
            BackgroundUpdateController c = registered.get(ref);
            if (c != null) {
                result.add(info(ref, c, c == active.controller()));
            }
        }
        ControllerInfo b = builtIn.info();
        result.add(new StatusRecords.Controller(b.type(), b.bundle(), 0, 0, true, active == builtIn));
        return result;
    }

    private static ControllerInfo info(ServiceReference<?> ref, BackgroundUpdateController c, boolean active) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        return new StatusRecords.Controller(c.getClass().getName(), ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName(),
                (Long) ref.getProperty(Constants.SERVICE_ID), ranking instanceof Integer i ? i : 0, false, active);
    }
}
