package io.bgupdate.runner.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** A service reference with the properties given, for the whiteboard classes outside a framework; ordered as the framework orders them. */
final class TestRef implements ServiceReference<Object> {

    private static final AtomicLong IDS = new AtomicLong();
    private final Hashtable<String, Object> props = new Hashtable<>();

    TestRef(Map<String, Object> properties) {
        props.putAll(properties);
        props.put(Constants.SERVICE_ID, IDS.incrementAndGet());
    }

    @Override
    public Object getProperty(String key) {
        return props.get(key);
    }

    @Override
    public String[] getPropertyKeys() {
        return props.keySet().toArray(String[]::new);
    }

    @Override
    public Bundle getBundle() {
        return null;
    }

    @Override
    public Bundle[] getUsingBundles() {
        return null;
    }

    @Override
    public boolean isAssignableTo(Bundle bundle, String className) {
        return true;
    }

    @Override
    public int compareTo(Object other) {
        TestRef o = (TestRef) other;
        int byRanking = Integer.compare(ranking(), o.ranking());
        return byRanking != 0 ? byRanking : Long.compare((Long) o.getProperty(Constants.SERVICE_ID), (Long) getProperty(Constants.SERVICE_ID));
    }

    private int ranking() {
        return props.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    @Override
    public Dictionary<String, Object> getProperties() {
        return new Hashtable<>(props);
    }

    @Override
    public <A> A adapt(Class<A> type) {
        return null;
    }
}
