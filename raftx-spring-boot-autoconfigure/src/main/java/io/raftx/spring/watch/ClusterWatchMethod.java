package io.raftx.spring.watch;

import io.raftx.kv.watch.WatchEvent;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.function.Function;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/** An annotated bean method and how to call it with an event; the signature is checked once, at start-up. */
final class ClusterWatchMethod {

    private final Object bean;
    private final Method method;
    private final Function<WatchEvent, Object[]> arguments;
    private final String name;

    private ClusterWatchMethod(Object bean, Method method, Function<WatchEvent, Object[]> arguments, String name) {
        this.bean = bean;
        this.method = method;
        this.arguments = arguments;
        this.name = name;
    }

    /**
     * @param beanName used to name the method in logs and metrics: {@code beanName.methodName}
     * @throws IllegalStateException if the signature is not one of the accepted ones
     */
    static ClusterWatchMethod of(Object bean, String beanName, Method method) {
        ReflectionUtils.makeAccessible(method);
        return new ClusterWatchMethod(bean, method, argumentsFor(method), beanName + "." + method.getName());
    }

    private static Function<WatchEvent, Object[]> argumentsFor(Method method) {
        Class<?>[] types = method.getParameterTypes();
        if (Arrays.equals(types, new Class<?>[] {WatchEvent.class})) {
            return event -> new Object[] {event};
        }
        if (Arrays.equals(types, new Class<?>[] {String.class, String.class})) {
            return event -> new Object[] {event.keyAsString(), event.valueAsString()};
        }
        if (Arrays.equals(types, new Class<?>[] {String.class, String.class, WatchEvent.Type.class})) {
            return event -> new Object[] {event.keyAsString(), event.valueAsString(), event.type()};
        }
        throw new IllegalStateException("@ClusterWatch method " + ClassUtils.getQualifiedMethodName(method)
                + " has an unsupported signature " + Arrays.toString(types) + "; use (WatchEvent),"
                + " (String key, String value) or (String key, String value, WatchEvent.Type type)");
    }

    /** {@code beanName.methodName}. */
    String name() {
        return name;
    }

    /** Calls the method; what it throws comes out unwrapped. */
    void invoke(WatchEvent event) throws Throwable {
        try {
            method.invoke(bean, arguments.apply(event));
        } catch (InvocationTargetException e) {
            throw e.getTargetException();
        }
    }

    @Override
    public String toString() {
        return ClassUtils.getQualifiedMethodName(method);
    }
}
