package io.bgupdate.api.pressure;

/**
 * The service properties of a {@link PressureReporter}, all optional.
 */
public final class PressureProperties {

    /**
     * Service property {@value}: a {@code String}, the name the controller shows for this reporter
     * (for example {@code "web requests"}). Without it, the reporter's bundle symbolic name and
     * service id are shown.
     */
    public static final String NAME = "bgupdate.pressure.name";

    /**
     * Service property {@value}: a {@code String} or {@code String[]}, the names of the databases
     * whose background updates this reporter's pressure applies to (the {@code bgupdate.database}
     * names). Without it, the reporter applies to every database.
     */
    public static final String DATABASE = "bgupdate.pressure.database";

    private PressureProperties() {
    }
}
