package io.bgupdate.ratelimit.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One configuration of the controller, checked as a whole: the base limits, the overrides and the
 * ranking. Immutable (the cache of resolved limits only memoizes a pure function), so the
 * controller swaps it in one volatile write.
 */
final class RateLimitSettings {

    static final RateLimitSettings DEFAULTS = new RateLimitSettings(RateLimitController.DEFAULT_RANKING, Limits.DEFAULTS, List.of());

    private final int ranking;
    private final Limits base;
    /** By {@link LimitOverride#specificity()}, stable: the order they apply in. */
    private final List<LimitOverride> overrides;
    private final ConcurrentMap<List<String>, Limits> resolved = new ConcurrentHashMap<>();

    RateLimitSettings(int ranking, Limits base, List<LimitOverride> overrides) {
        this.ranking = ranking;
        this.base = base;
        List<LimitOverride> sorted = new ArrayList<>(overrides);
        sorted.sort(Comparator.comparingInt(LimitOverride::specificity));
        this.overrides = List.copyOf(sorted);
    }

    /**
     * @param config the typed configuration
     * @return the settings it describes
     * @throws RuntimeException with a one-line message when a value is malformed or out of range
     *         ({@link IllegalArgumentException}), or could not be converted by DS
     */
    static RateLimitSettings from(RateLimitConfiguration config) {
        Limits base = new Limits(config.rate(), config.burst(), config.duty(), TimeWindows.parse(config.windows()),
                Limits.zone(config.zone()), config.batch_default(), config.batch_min(), config.duration_max());
        List<LimitOverride> overrides = new ArrayList<>();
        Set<String> selectors = new HashSet<>();
        for (String entry : config.overrides() == null ? new String[0] : config.overrides()) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            LimitOverride o = LimitOverride.parse(entry);
            o.applyTo(base);
            if (!selectors.add(o.selector())) {
                throw new IllegalArgumentException("override '" + o.text() + "': a second entry for " + o.selector());
            }
            overrides.add(o);
        }
        return new RateLimitSettings(config.service_ranking(), base, overrides);
    }

    /**
     * @param update the update
     * @param database its database
     * @return the limits in force for them
     */
    Limits limitsFor(String update, String database) {
        return resolved.computeIfAbsent(List.of(update, database), k -> {
            Limits l = base;
            for (LimitOverride o : overrides) {
                if (o.matches(update, database)) {
                    l = o.applyTo(l);
                }
            }
            return l;
        });
    }

    int ranking() {
        return ranking;
    }

    Limits base() {
        return base;
    }

    /** @return the overrides in the order they apply */
    List<LimitOverride> overrides() {
        return overrides;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(base.describe());
        for (LimitOverride o : overrides) {
            b.append("; ").append(o.text());
        }
        return b.toString();
    }
}
