package io.raftx.spring.config;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationPropertiesBean;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindMethod;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.ApplicationContext;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Rebinds the {@code @ConfigurationProperties} beans whose prefix covers a changed property. Each bean is bound
 * afresh into a new instance first; only if that succeeds are its properties copied onto the live bean, so a value
 * that does not convert leaves the bean exactly as it was (its last good binding). A rejection is logged once per
 * distinct error and kept until a later change binds.
 *
 * <p>Constructor-bound (immutable) beans cannot change in place and are left alone, with one INFO line.
 */
public class ClusterConfigRebinder {

    private static final Logger log = LoggerFactory.getLogger(ClusterConfigRebinder.class);

    /** A bean that kept its previous values: which prefix, why, since when. */
    public record Rejection(String prefix, String error, Instant since) {
    }

    private final ApplicationContext context;
    private final Environment environment;
    private final Map<String, Rejection> rejections = new ConcurrentHashMap<>();
    private final Set<String> immutableBeansLogged = ConcurrentHashMap.newKeySet();
    private final LongAdder rebinds = new LongAdder();
    private final LongAdder failures = new LongAdder();

    public ClusterConfigRebinder(ApplicationContext context, Environment environment) {
        this.context = context;
        this.environment = environment;
    }

    /** @return the names of the beans that rejected the new values */
    public synchronized Set<String> rebind(Collection<String> changedProperties) {
        List<ConfigurationPropertyName> changed = changedProperties.stream()
                .map(p -> ConfigurationPropertyName.adapt(p, '.')).toList();
        Binder binder = Binder.get(environment);
        Set<String> rejected = new HashSet<>();
        ConfigurationPropertiesBean.getAll(context).forEach((name, bean) -> {
            ConfigurationPropertyName prefix = ConfigurationPropertyName.of(bean.getAnnotation().prefix());
            if (changed.stream().anyMatch(c -> prefix.equals(c) || prefix.isAncestorOf(c))
                    && !rebind(binder, name, bean, prefix)) {
                rejected.add(name);
            }
        });
        return rejected;
    }

    private boolean rebind(Binder binder, String name, ConfigurationPropertiesBean bean,
                           ConfigurationPropertyName prefix) {
        Bindable<?> current = bean.asBindTarget();
        if (current.getBindMethod() == BindMethod.VALUE_OBJECT) {
            if (immutableBeansLogged.add(name)) {
                log.info("@ConfigurationProperties bean '{}' ({}) is constructor-bound and keeps the values it was"
                        + " created with; use a JavaBean (setters) to have cluster changes rebind it", name, prefix);
            }
            return true;
        }
        Object target = AopProxyUtils.getSingletonTarget(bean.getInstance());
        Object live = target != null ? target : bean.getInstance();
        Class<?> type = ClassUtils.getUserClass(live);
        try {
            Object fresh = binder.bindOrCreate(prefix, Bindable.of(type).withAnnotations(current.getAnnotations()),
                    null);
            BeanUtils.copyProperties(fresh, live);
        } catch (BindException e) {
            failures.increment();
            reject(name, prefix, e);
            return false;
        }
        rebinds.increment();
        if (rejections.remove(name) != null) {
            log.info("@ConfigurationProperties bean '{}' ({}) binds again with the cluster's current values", name,
                    prefix);
        }
        return true;
    }

    private void reject(String name, ConfigurationPropertyName prefix, BindException e) {
        Throwable cause = NestedExceptionUtils.getMostSpecificCause(e);
        String error = e.getMessage() + (cause != e ? ": " + cause.getMessage() : "");
        Rejection previous = rejections.get(name);
        if (previous == null || !previous.error().equals(error)) {
            rejections.put(name, new Rejection(prefix.toString(), error, Instant.now()));
            log.warn("@ConfigurationProperties bean '{}' keeps its previous values: the cluster's new values do not"
                    + " bind ({}). Write a valid value to the cluster key to recover.", name, error);
        }
    }

    /** Beans currently keeping their previous values, by bean name. */
    public Map<String, Rejection> rejections() {
        return Map.copyOf(rejections);
    }

    public long rebindCount() {
        return rebinds.sum();
    }

    public long failureCount() {
        return failures.sum();
    }
}
