package io.bgupdate.adaptive.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.execution.HealthCheckExecutionOptions;
import org.apache.felix.hc.api.execution.HealthCheckExecutionResult;
import org.apache.felix.hc.api.execution.HealthCheckExecutor;
import org.apache.felix.hc.api.execution.HealthCheckMetadata;
import org.apache.felix.hc.api.execution.HealthCheckSelector;
import org.junit.Test;

/** The worst result of the selected checks becomes the reading: WARN slows down, CRITICAL holds, an error fails. */
public class FelixHealthChecksTest {

    final List<Result.Status> statuses = new ArrayList<>();
    final List<String[]> asked = new ArrayList<>();
    final FelixHealthChecks checks = new FelixHealthChecks(new HealthCheckExecutor() {
        @Override
        public List<HealthCheckExecutionResult> execute(HealthCheckSelector selector) {
            return execute(selector, new HealthCheckExecutionOptions());
        }

        @Override
        public List<HealthCheckExecutionResult> execute(HealthCheckSelector selector, HealthCheckExecutionOptions options) {
            asked.add(selector.tags());
            return statuses.stream().map(FelixHealthChecksTest::result).toList();
        }
    });

    static HealthCheckExecutionResult result(Result.Status status) {
        return new HealthCheckExecutionResult() {
            @Override
            public Result getHealthCheckResult() {
                return new Result(status, "test");
            }

            @Override
            public long getElapsedTimeInMs() {
                return 1;
            }

            @Override
            public Date getFinishedAt() {
                return new Date();
            }

            @Override
            public boolean hasTimedOut() {
                return false;
            }

            @Override
            public HealthCheckMetadata getHealthCheckMetadata() {
                return null;
            }
        };
    }

    @Test
    public void theWorstResultCounts() {
        statuses.addAll(List.of(Result.Status.OK, Result.Status.OK));
        assertEquals(0, checks.sample(List.of("db"), 2.0).pressure(), 0);
        assertEquals(List.of("db"), List.of(asked.get(0)));
        statuses.add(Result.Status.WARN);
        assertEquals(2.0, checks.sample(List.of("db"), 2.0).pressure(), 0);
        statuses.add(Result.Status.CRITICAL);
        assertTrue(checks.sample(List.of("db"), 2.0).critical());
        statuses.add(Result.Status.HEALTH_CHECK_ERROR);
        Reading error = checks.sample(List.of("db"), 2.0);
        assertFalse(error.counts());
        assertTrue(error.error(), error.error().startsWith("HEALTH_CHECK_ERROR"));
    }

    @Test
    public void noMatchingCheckIsAFailingSignal() {
        Reading r = checks.sample(List.of("none"), 2.0);
        assertFalse(r.counts());
        assertEquals("no health check with tags [none]", r.error());
    }
}
