package io.raftx.spring.watch;

import io.raftx.kv.watch.WatchPattern;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanInitializationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;

/**
 * Finds {@link ClusterWatch} methods on singleton beans as they are created, checks pattern and signature (a mistake
 * fails start-up naming the method) and registers them with the {@link ClusterWatchRegistry}.
 */
public class ClusterWatchAnnotationBeanPostProcessor implements BeanPostProcessor, BeanFactoryAware {

    private static final Logger log = LoggerFactory.getLogger(ClusterWatchAnnotationBeanPostProcessor.class);

    private final Set<Class<?>> classesWithoutWatches = ConcurrentHashMap.newKeySet();
    private ConfigurableListableBeanFactory beanFactory;

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        Class<?> targetClass = AopUtils.getTargetClass(bean);
        if (classesWithoutWatches.contains(targetClass)) {
            return bean;
        }
        Map<Method, ClusterWatch> annotated = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<ClusterWatch>) method ->
                        AnnotatedElementUtils.findMergedAnnotation(method, ClusterWatch.class));
        if (annotated.isEmpty()) {
            classesWithoutWatches.add(targetClass);
            return bean;
        }
        if (beanFactory.containsBeanDefinition(beanName) && !beanFactory.isSingleton(beanName)) {
            log.warn("Bean '{}' has @ClusterWatch methods but is not a singleton; they are ignored, since every"
                    + " instance would need a watch that is never cancelled", beanName);
            return bean;
        }
        ClusterWatchRegistry registry = beanFactory.getBean(ClusterWatchRegistry.class);
        annotated.forEach((method, annotation) -> register(registry, bean, beanName, method, annotation));
        return bean;
    }

    private void register(ClusterWatchRegistry registry, Object bean, String beanName, Method method,
                          ClusterWatch annotation) {
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        ClusterWatchMethod watchMethod;
        String pattern;
        try {
            pattern = beanFactory.resolveEmbeddedValue(annotation.value()); // ${...} placeholders
            WatchPattern.compile(pattern);
            watchMethod = ClusterWatchMethod.of(bean, beanName, invocable);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new BeanInitializationException("Invalid @ClusterWatch on " + method + ": " + e.getMessage(), e);
        }
        try {
            registry.register(new ClusterWatchSubscription(watchMethod, pattern,
                    executor(annotation, method)), annotation.volatileKeys());
        } catch (IllegalStateException e) {
            throw new BeanInitializationException(e.getMessage(), e);
        }
    }

    /**
     * Checks the executor bean exists now, but fetches it on first use: it may be defined by the very configuration
     * class whose methods are being processed.
     */
    private Supplier<Executor> executor(ClusterWatch annotation, Method method) {
        String name = annotation.executor();
        if (!StringUtils.hasText(name)) {
            return null;
        }
        if (!beanFactory.containsBean(name) || !beanFactory.isTypeMatch(name, Executor.class)) {
            throw new BeanInitializationException("@ClusterWatch on " + method + " names executor '" + name
                    + "', but there is no Executor bean of that name");
        }
        return SingletonSupplier.of(() -> beanFactory.getBean(name, Executor.class));
    }
}
