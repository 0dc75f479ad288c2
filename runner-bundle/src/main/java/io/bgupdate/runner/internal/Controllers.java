package io.bgupdate.runner.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.bgupdate.api.ControllerInfo;
import io.bgupdate.api.controller.BackgroundUpdateController;

/**
 * The registered controllers and the choice among them: of those ranked above 0, the highest
 * {@code service.ranking} wins, ties to the lowest {@code service.id}; with none ranked above 0,
 * the built-in default (which counts as ranked 0). A ranking given as text (a {@code .cfg} file)
 * counts if it is a whole number; otherwise it counts as 0, with a warning. The choice is
 * computed on every call, because a ranking can change while the service stays registered.
 */
final class Controllers {

    private static final Logger LOG = LoggerFactory.getLogger(Controllers.class);

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
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        if (ranking != null && !(ranking instanceof Integer) && ranking(ref) == 0) {
            LOG.warn("Controller {} (service {}): service.ranking {} is not a whole number; it counts as 0, below the built-in default",
                    controller.getClass().getName(), ref.getProperty(Constants.SERVICE_ID), ranking);
        }
        registered.put(ref, controller);
    }

    /** @return the ranking: an Integer, or text that is a whole number; else 0 */
    static int ranking(ServiceReference<?> ref) {
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        if (ranking instanceof Integer i) {
            return i;
        }
        try {
            return ranking instanceof String text ? Integer.parseInt(text.trim()) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Higher ranking first, then the lower service id. */
    private static final Comparator<ServiceReference<?>> ORDER = Comparator.<ServiceReference<?>>comparingInt(Controllers::ranking)
            .reversed().thenComparingLong(r -> (Long) r.getProperty(Constants.SERVICE_ID));

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
            if (ranking(e.getKey()) > 0 && (best == null || ORDER.compare(e.getKey(), best) < 0)) {
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
        refs.sort(ORDER);
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
        return new StatusRecords.Controller(c.getClass().getName(), ref.getBundle() == null ? "?" : ref.getBundle().getSymbolicName(),
                (Long) ref.getProperty(Constants.SERVICE_ID), ranking(ref), false, active);
    }
}
