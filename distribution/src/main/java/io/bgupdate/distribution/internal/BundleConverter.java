package io.bgupdate.distribution.internal;

import org.apache.felix.service.command.Converter;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Turns a bundle id or symbolic name into a {@link Bundle} for Gogo commands ({@code stop 0},
 * {@code update 23}, {@code headers io.bgupdate.ratelimit}). The interactive shell's bundle
 * (Gogo JLine) brings a converter of its own, but it is not started when the host runs without
 * a terminal, where {@code --exec} and piped commands need one.
 */
@Component(property = Converter.CONVERTER_CLASSES + "=org.osgi.framework.Bundle")
public class BundleConverter implements Converter {

    private BundleContext context;

    @Activate
    void activate(BundleContext bundleContext) {
        this.context = bundleContext;
    }

    @Override
    public Object convert(Class<?> desiredType, Object in) {
        if (desiredType != Bundle.class || !(in instanceof CharSequence)) {
            return null;
        }
        String s = in.toString().trim();
        if (s.matches("\\d{1,18}")) {
            return context.getBundle(Long.parseLong(s));
        }
        for (Bundle b : context.getBundles()) {
            if (s.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    @Override
    public CharSequence format(Object target, int level, Converter escape) {
        return null;
    }
}
