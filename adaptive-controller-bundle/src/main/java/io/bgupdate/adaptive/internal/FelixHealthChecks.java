package io.bgupdate.adaptive.internal;

import java.util.List;
import java.util.Locale;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Reads Felix Health Checks by tag through the {@link HealthCheckExecutor}. Disabled by default:
 * the controller enables it only when this bundle is wired to the optional Health Check API.
 */
@Component(name = FelixHealthChecks.NAME, enabled = false, service = HealthCheckSignal.class)
public class FelixHealthChecks implements HealthCheckSignal {

    static final String NAME = "io.bgupdate.adaptive.healthchecks";

    @Reference
    private HealthCheckExecutor executor;

    /** For DS. */
    public FelixHealthChecks() {
    }

    /** @param executor the executor to read checks through */
    FelixHealthChecks(HealthCheckExecutor executor) {
        this.executor = executor;
    }

    @Override
    public Reading sample(List<String> tags, double warnPressure) {
        List<HealthCheckExecutionResult> results = executor.execute(HealthCheckSelector.tags(tags.toArray(new String[0])),
                new HealthCheckExecutionOptions().setCombineTagsWithOr(true));
        if (results.isEmpty()) {
            return Reading.failing(SIGNAL, "no health check with tags " + tags);
        }
        Result.Status worst = Result.Status.OK;
        String worstName = "";
        for (HealthCheckExecutionResult r : results) {
            Result.Status s = r.getHealthCheckResult().getStatus();
            if (s.ordinal() > worst.ordinal()) {
                worst = s;
                worstName = r.getHealthCheckMetadata() == null ? "" : r.getHealthCheckMetadata().getName();
            }
        }
        String value = String.format(Locale.ROOT, "%s%s (%d checks)", worst, worstName.isEmpty() ? "" : " " + worstName, results.size());
        return switch (worst) {
            case OK -> Reading.of(SIGNAL, value, 0);
            case WARN, TEMPORARILY_UNAVAILABLE -> Reading.of(SIGNAL, value, warnPressure);
            case CRITICAL -> Reading.critical(SIGNAL, value);
            case HEALTH_CHECK_ERROR -> Reading.failing(SIGNAL, value);
        };
    }
}
